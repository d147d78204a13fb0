variable "description" {
  type = string
}

variable "name" {
  type = string
}

variable "rotation_turn_length_seconds" {
  type = number

  validation {
    condition     = var.rotation_turn_length_seconds > 0
    error_message = "The turn must be longer than zero."
  }
}

variable "time_zone" {
  default = "Asia/Bangkok"
  type    = string
}

variable "user_ids" {
  type = list(string)

  validation {
    condition = alltrue([
      length(distinct(var.user_ids)) >= 2,
      length(distinct(var.user_ids)) == length(var.user_ids),
    ])
    error_message = "Two different people at least, none twice."
  }
}

variable "team_ids" {
  type     = list(string)
  nullable = false
  default  = []
}
