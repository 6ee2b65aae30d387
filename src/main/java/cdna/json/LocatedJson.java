package cdna.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON tree that remembers where each value came from, so every error in a
 * hand-written input file (design, manifest, trace) can name its file and line.
 * Jackson's own tree model forgets locations; this one keeps them.
 */
public final class LocatedJson {
    private LocatedJson() {}

    /** A JSON value and the file position it starts at. */
    public sealed interface Node permits Obj, Arr, Val {
        Source source();
        int line();
        int column();

        /** "file:line:column", the prefix of every error about this node. */
        default String where() {
            return source().name() + ":" + line() + ":" + column();
        }

        default String kind() {
            if (this instanceof Obj) return "an object";
            if (this instanceof Arr) return "an array";
            Object v = ((Val) this).value();
            if (v == null) return "null";
            if (v instanceof String) return "a string";
            if (v instanceof Boolean) return "a boolean";
            return "a number";
        }
    }

    public record Source(String name) {}

    public record Obj(Source source, int line, int column, Map<String, Node> fields) implements Node {
        public Node get(String key) { return fields.get(key); }
    }

    public record Arr(Source source, int line, int column, List<Node> items) implements Node {}

    /** A scalar: String, Boolean, Long, Double or null. */
    public record Val(Source source, int line, int column, Object value) implements Node {}

    public static Node read(Path file) throws InputException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    public static Node parse(String name, String text) throws InputException {
        Source src = new Source(name);
        try (JsonParser p = new JsonFactory().createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new InputException(name + ":1:1: expected a JSON value, found an empty file");
            }
            Node n = readValue(p, src);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                JsonLocation l = p.currentTokenLocation();
                throw new InputException(name + ":" + l.getLineNr() + ":" + l.getColumnNr()
                        + ": expected end of file after the top-level value, found " + extra.asString());
            }
            return n;
        } catch (JsonParseException e) {
            JsonLocation l = e.getLocation();
            String msg = e.getOriginalMessage();
            throw new InputException(name + ":" + (l == null ? "?" : l.getLineNr() + ":" + l.getColumnNr())
                    + ": malformed JSON: " + msg);
        } catch (IOException e) {
            throw new InputException(name + ": cannot parse: " + e.getMessage());
        }
    }

    private static Node readValue(JsonParser p, Source src) throws IOException, InputException {
        JsonLocation l = p.currentTokenLocation();
        int line = l.getLineNr();
        int col = l.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Node> fields = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation kl = p.currentTokenLocation();
                    p.nextToken();
                    Node v = readValue(p, src);
                    if (fields.put(key, v) != null) {
                        throw new InputException(src.name() + ":" + kl.getLineNr() + ":" + kl.getColumnNr()
                                + ": duplicate key \"" + key + "\"");
                    }
                }
                return new Obj(src, line, col, Collections.unmodifiableMap(fields));
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(p, src));
                }
                return new Arr(src, line, col, Collections.unmodifiableList(items));
            }
            case VALUE_STRING:
                return new Val(src, line, col, p.getText());
            case VALUE_NUMBER_INT:
                return new Val(src, line, col, p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return new Val(src, line, col, p.getDoubleValue());
            case VALUE_TRUE:
                return new Val(src, line, col, Boolean.TRUE);
            case VALUE_FALSE:
                return new Val(src, line, col, Boolean.FALSE);
            case VALUE_NULL:
                return new Val(src, line, col, null);
            default:
                throw new InputException(src.name() + ":" + line + ":" + col + ": unexpected token " + t);
        }
    }

    // ---- typed accessors that fail with a located message ----

    public static Obj object(Node n, String what) throws InputException {
        if (n instanceof Obj o) return o;
        throw new InputException(n.where() + ": expected " + what + " to be an object, found " + n.kind());
    }

    public static Node required(Obj o, String key) throws InputException {
        Node n = o.get(key);
        if (n == null) {
            throw new InputException(o.where() + ": missing required field \"" + key + "\"");
        }
        return n;
    }

    public static String string(Node n, String what) throws InputException {
        if (n instanceof Val v && v.value() instanceof String s) return s;
        throw new InputException(n.where() + ": expected " + what + " to be a string, found " + n.kind());
    }

    public static boolean bool(Node n, String what) throws InputException {
        if (n instanceof Val v && v.value() instanceof Boolean b) return b;
        throw new InputException(n.where() + ": expected " + what + " to be true or false, found " + n.kind());
    }

    public static long integer(Node n, String what) throws InputException {
        if (n instanceof Val v && v.value() instanceof Long l) return l;
        throw new InputException(n.where() + ": expected " + what + " to be an integer, found " + n.kind());
    }

    public static Arr array(Node n, String what) throws InputException {
        if (n instanceof Arr a) return a;
        throw new InputException(n.where() + ": expected " + what + " to be an array, found " + n.kind());
    }

    /** Rejects keys outside {@code allowed}, so a misspelt field is an error rather than silently ignored. */
    public static void onlyKeys(Obj o, java.util.Set<String> allowed, String what) throws InputException {
        for (var e : o.fields().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw new InputException(e.getValue().where() + ": unknown field \"" + e.getKey() + "\" in "
                        + what + "; expected one of " + new java.util.TreeSet<>(allowed));
            }
        }
    }
}
