resource "pagerduty_team" "north" {
  name = "North"
}
resource "pagerduty_team" "south" {
  name = "South"
}
resource "pagerduty_team_membership" "m1" {
  user_id = pagerduty_user.wren.id
  team_id = pagerduty_team.north.id
}
resource "pagerduty_team_membership" "m2" {
  user_id = pagerduty_user.wren.id
  team_id = pagerduty_team.south.id
}
resource "pagerduty_team_membership" "m3" {
  user_id = pagerduty_user.suki.id
  team_id = pagerduty_team.north.id
}
