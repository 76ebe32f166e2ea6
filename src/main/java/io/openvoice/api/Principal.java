package io.openvoice.api;

/**
 * Who is calling: the authenticated user, their account and role; {@code operator} when the account is the
 * platform operator's (created at bootstrap).
 */
public record Principal(String userId, String accountId, String role, String email, boolean operator) {
  public boolean isAdmin() {
    return "Admin".equals(role);
  }
}
