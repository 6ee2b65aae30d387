package cdna.design;

import java.util.Arrays;
import java.util.List;

/**
 * A value of a CHOICE {@link Switch}: an enum constant that carries its spec
 * string, the TLA+ constant value and the design-file value (e.g. "single-use").
 * A string becomes a constant only by {@link #parse}, which fails for a string
 * it does not know: there is no default value to fall back on.
 */
public interface Choice {
    /** The spec string: the TLA+ constant value and the design-file value. */
    String spec();

    /** The spec strings of every constant of {@code type}, in declaration order. */
    static List<String> specs(Class<? extends Choice> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::spec).toList();
    }

    /**
     * The constant of {@code type} whose spec string is {@code value}.
     *
     * @throws IllegalArgumentException naming the design, the switch, the value
     *         and the allowed values, when no constant has that spec string
     */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String design, Switch s, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.spec().equals(value)) return e;
        }
        throw new IllegalArgumentException("design " + design + ": switch " + s + " has no value \"" + value
                + "\"; allowed values: " + specs(type));
    }
}
