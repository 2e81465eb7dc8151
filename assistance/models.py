# Models of the assistance app.
