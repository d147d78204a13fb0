variable "name" {
  type = string
}

variable "email_address" {
  type = string
}

resource "pagerduty_user" "user" {
  name  = var.name
  email = var.email_address
}

output "id" {
  value = pagerduty_user.user.id
}
