variable "pagerduty_token" {
  type      = string
  sensitive = true
}

variable "time_zone" {
  type    = string
  default = "Europe/London"
}

variable "rotation_start" {
  description = "When the rotation began"
  type        = string
  default     = "2025-02-03T09:00:00Z"
}

variable "turn_seconds" {
  type    = number
  default = 604800
}
