variable "enabled" {
  type        = bool
  default     = true
  description = "Turns the module off without removing the call"
}

variable "name" {
  description = "Schedule name"
}

variable "time_zone" {
  default = "America/Denver"
}

variable "layer_name" {
  description = "Name of the only layer"
}

variable "oncall_start" {
  default = "2023-05-01T09:00:00-06:00"
}

variable "rotation_virtual_start" {
  default = "2023-05-01T09:00:00-06:00"
}

variable "rotation_length_in_seconds" {
  default = 604800
}

variable "layer_users" {
  description = "Users in rotation order"
  type        = list
}
