output "user_ids" {
  value = local.user_id_by_email
}

output "user_ids_ordered" {
  description = "User IDs in the order of var.users."
  value       = [for user in var.users : local.user_id_by_email[user.email]]
}
