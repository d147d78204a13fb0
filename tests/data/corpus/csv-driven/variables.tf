variable "pagerduty_token" {
  description = "PagerDuty API token"
  type        = string
}
