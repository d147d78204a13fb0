variable "name" {}
variable "email" {}
variable "role" {
  default = "user"
}
variable "country_code" {}
variable "phone_number" {}
variable "teams" {
  type = "list"
}

resource "pagerduty_user" "main" {
  name  = "${var.name}"
  email = "${var.email}"
  role  = "${var.role}"
  teams = "${var.teams}"
}

resource "pagerduty_user_contact_method" "phone" {
  user_id      = "${pagerduty_user.main.id}"
  type         = "phone_contact_method"
  country_code = "${var.country_code}"
  address      = "${var.phone_number}"
  label        = "Work"
}

output "user_id" {
  value = "${pagerduty_user.main.id}"
}
