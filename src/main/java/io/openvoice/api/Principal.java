package io.openvoice.api;

/** Who is calling: the authenticated user, their account and role. */
public record Principal(String userId, String accountId, String role, String email) {}
