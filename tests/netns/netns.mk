# netns tests
