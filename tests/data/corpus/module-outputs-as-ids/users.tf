module "admin" {
  source       = "./modules/users"
  name         = "Global admin"
  email        = "pd-admin@example.es"
  role         = "admin"
  country_code = "+34"
  phone_number = "600000001"
  teams        = ["${pagerduty_team.engineering.id}"]
}

module "user1" {
  source       = "./modules/users"
  name         = "Lucia Prat"
  email        = "lucia.prat@example.es"
  country_code = "+34"
  phone_number = "600000002"
  teams        = ["${pagerduty_team.engineering.id}"]
}

module "user2" {
  source       = "./modules/users"
  name         = "Marc Roig"
  email        = "marc.roig@example.es"
  country_code = "+34"
  phone_number = "600000003"
  teams        = ["${pagerduty_team.engineering.id}"]
}

// module.someone.pagerduty_user
//module "someone" {
//  source = "./modules/users"
//}

resource "pagerduty_user" "user4" {
  name      = "Nuria Vall"
  time_zone = "Europe/London"
  role      = "user"
  email     = "nuria.vall@example.es"
  teams     = ["${pagerduty_team.engineering.id}"]
}
