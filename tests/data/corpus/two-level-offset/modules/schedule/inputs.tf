variable "description" {
  type = string
}

variable "name" {
  type = string
}

variable "rotation_turn_length_seconds" {
  type = number
}

variable "start_datetime" {
  type = string
}

variable "time_zone" {
  type = string
}

variable "user_ids" {
  type = list(string)
}

variable "team_ids" {
  type     = list(string)
  nullable = false
  default  = []
}
