package dev.stateful.internal;

/** Explain why a server on an existing volume refused the handle's login. */
public final class LoginMessages {
    private LoginMessages() {
    }

    public static String rejected(String sqlState, String username, String database, String volume,
                           boolean passwordGenerated, String serverMessage) {
        return switch (sqlState) {
            case "3D000" -> "database '" + database + "' does not exist on volume '" + volume + "': the volume was "
                    + "initialised with another database, and POSTGRES_DB only applies to an empty volume ("
                    + serverMessage + "). Fix: use the database the volume was created with, or a new volume.";
            case "28000" -> "role '" + username + "' does not exist on volume '" + volume + "': the volume was "
                    + "initialised by another user, and POSTGRES_USER only applies to an empty volume ("
                    + serverMessage + "). Fix: use the username the volume was created with, or a new volume.";
            default -> "password authentication for role '" + username + "' failed on volume '" + volume + "': the "
                    + "volume was initialised with another password, and POSTGRES_PASSWORD only applies to an empty "
                    + "volume (" + serverMessage + "). Fix: "
                    + (passwordGenerated ? "check that role '" + username + "' exists on the volume."
                            : "pass the password the volume was created with, or leave the password out: Stateful then "
                                    + "resets the role's password through the container's local socket.");
        };
    }
}
