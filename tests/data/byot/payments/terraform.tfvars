time_zone    = "Europe/Berlin"
turn_seconds = 1209600
