# Models of the households app.
