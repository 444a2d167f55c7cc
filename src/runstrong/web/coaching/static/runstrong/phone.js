// phone
