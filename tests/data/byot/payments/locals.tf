locals {
  business_hours = {
    start    = "09:00:00"
    duration = 32400
  }
  team_name = "Payments"
}
