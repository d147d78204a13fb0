variable "pd_token" {}
variable "rotation_start" {}
variable "rotation_end" {}
variable "rotation_virtual_start" {}
variable "support_team" {}
variable "oncall_devops" {
  type = list(string)
}
variable "oncall_db" {
  type = list(string)
}
