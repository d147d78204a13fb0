locals{
    desk_team_a = [pagerduty_user.desk_user01.id, pagerduty_user.desk_user02.id ]
    desk_team_b = [pagerduty_user.desk_user03.id,pagerduty_user.desk_user04.id]
}


resource "pagerduty_schedule" "Desk_Day_Shift" {
  name      = "Desk Day Shift Rotation"
  time_zone = "America/New_York"
  layer {
    name                         = "Day Shift"
    start                        = "2015-11-06T00:08:00-05:00" #the minute is the hour's place, as written
    rotation_virtual_start       = "2015-11-06T00:08:00-05:00"
    rotation_turn_length_seconds = 86400
    users                        = local.desk_team_a #a list from the locals above

    restriction {
      type              = "daily_restriction"
      start_time_of_day = "08:00:00" #day shift from 8am
      duration_seconds  = 43200
    }
  }

  teams = [pagerduty_team.desk_a.id]
}

resource "pagerduty_schedule" "Desk_Night_Shift" {
  name      = "Desk Night Shift Rotation"
  time_zone = "America/New_York"

  layer {
    name                         = "Night Shift"
    start                        = "2015-11-06T20:00:00-05:00" #starts at 8pm
    rotation_virtual_start       = "2015-11-06T20:00:00-05:00"
    rotation_turn_length_seconds = 86400
    users                        = local.desk_team_b

    restriction {
      type              = "daily_restriction"
      start_time_of_day = "20:00:00"
      duration_seconds  = 43200
    }
  }
}

resource "pagerduty_schedule" "fred_always" {
  name      = "Fred Always"
  time_zone = "America/New_York"

  layer {
    name                         = "Fred"
    start                        = "2015-11-06T00:00:00-05:00"
    rotation_virtual_start       = "2015-11-06T00:00:00-05:00"
    rotation_turn_length_seconds = 604800
    users                        = [pagerduty_user.fred.id]
  }
}
