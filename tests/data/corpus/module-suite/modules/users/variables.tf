variable "users" {
  description = "Users to create, or to look up with existing = true."
  type = list(object({
    name      = string
    email     = string
    existing  = optional(bool, false)
    role      = optional(string, "user")
    time_zone = optional(string)
    contact_methods = optional(list(object({
      label   = string
      type    = string
      address = string
    })), [])
  }))
}
