package cdna.json;

/** Bad input (a design, manifest, cfg, trace or argument); the message names the file, line and what was expected. */
public final class InputException extends Exception {
    public InputException(String message) {
        super(message);
    }
}
