"""Files that leave runstrong: calendars and, later, PDFs and CSV."""
