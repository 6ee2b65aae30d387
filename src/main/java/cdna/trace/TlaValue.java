package cdna.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value as TLC prints it: numbers, strings, booleans, model values, sets,
 * sequences, records and functions ({@code k :> v @@ ...}).  TLC prints a
 * function whose domain is 1..n as a sequence, so a sequence may stand for
 * such a function.
 */
public sealed interface TlaValue {
    record Int(long value) implements TlaValue {}
    record Str(String value) implements TlaValue {}
    record Bool(boolean value) implements TlaValue {}
    /** A model value (an uninterpreted constant such as g1 or Hyp). */
    record ModelValue(String name) implements TlaValue {}
    record SetOf(List<TlaValue> elements) implements TlaValue {}
    record Seq(List<TlaValue> elements) implements TlaValue {}
    record Rec(Map<String, TlaValue> fields) implements TlaValue {}
    /** A function printed as {@code k1 :> v1 @@ k2 :> v2}; insertion order kept. */
    record Fn(List<Map.Entry<TlaValue, TlaValue>> pairs) implements TlaValue {}

    /**
     * JSON form: numbers, strings (model values as their name), booleans;
     * sequences as arrays; records as objects; sets as {"$set": [...]};
     * functions as objects keyed by the key's printed form.
     */
    default JsonNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (this instanceof Int i) return f.numberNode(i.value());
        if (this instanceof Str s) return f.textNode(s.value());
        if (this instanceof Bool b) return f.booleanNode(b.value());
        if (this instanceof ModelValue m) return f.textNode(m.name());
        if (this instanceof Seq s) {
            ArrayNode a = f.arrayNode();
            s.elements().forEach(e -> a.add(e.toJson()));
            return a;
        }
        if (this instanceof SetOf s) {
            ObjectNode o = f.objectNode();
            ArrayNode a = o.putArray("$set");
            s.elements().forEach(e -> a.add(e.toJson()));
            return o;
        }
        if (this instanceof Rec r) {
            ObjectNode o = f.objectNode();
            r.fields().forEach((k, v) -> o.set(k, v.toJson()));
            return o;
        }
        Fn fn = (Fn) this;
        ObjectNode o = f.objectNode();
        for (Map.Entry<TlaValue, TlaValue> e : fn.pairs()) {
            o.set(keyString(e.getKey()), e.getValue().toJson());
        }
        return o;
    }

    /** The TLA+ text of this value (round-trips through {@link #parse}). */
    default String toTla() {
        if (this instanceof Int i) return Long.toString(i.value());
        if (this instanceof Str s) return "\"" + s.value().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        if (this instanceof Bool b) return b.value() ? "TRUE" : "FALSE";
        if (this instanceof ModelValue m) return m.name();
        if (this instanceof Seq s) return "<<" + join(s.elements()) + ">>";
        if (this instanceof SetOf s) return "{" + join(s.elements()) + "}";
        if (this instanceof Rec r) {
            StringBuilder sb = new StringBuilder("[");
            boolean first = true;
            for (var e : r.fields().entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(e.getKey()).append(" |-> ").append(e.getValue().toTla());
            }
            return sb.append("]").toString();
        }
        Fn fn = (Fn) this;
        StringBuilder sb = new StringBuilder("(");
        boolean first = true;
        for (var e : fn.pairs()) {
            if (!first) sb.append(" @@ ");
            first = false;
            sb.append(e.getKey().toTla()).append(" :> ").append(e.getValue().toTla());
        }
        return sb.append(")").toString();
    }

    private static String join(List<TlaValue> xs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < xs.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(xs.get(i).toTla());
        }
        return sb.toString();
    }

    private static String keyString(TlaValue k) {
        if (k instanceof Str s) return s.value();
        if (k instanceof ModelValue m) return m.name();
        if (k instanceof Int i) return Long.toString(i.value());
        return k.toTla();
    }

    /** Parses one value; the message of a failure gives the offset and what was expected. */
    static TlaValue parse(String text) throws TlaValueException {
        Parser p = new Parser(text);
        TlaValue v = p.value();
        p.skipWs();
        if (p.pos != text.length()) {
            throw p.error("end of value");
        }
        return v;
    }

    final class TlaValueException extends Exception {
        public TlaValueException(String m) { super(m); }
    }

    final class Parser {
        private final String s;
        private int pos;

        Parser(String s) { this.s = s; }

        TlaValueException error(String expected) {
            String near = s.substring(pos, Math.min(s.length(), pos + 20));
            return new TlaValueException("at offset " + pos + ": expected " + expected + ", found \"" + near + "\"");
        }

        void skipWs() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        boolean peek(String t) {
            skipWs();
            return s.startsWith(t, pos);
        }

        void expect(String t) throws TlaValueException {
            if (!peek(t)) throw error("\"" + t + "\"");
            pos += t.length();
        }

        TlaValue value() throws TlaValueException {
            TlaValue first = atom();
            if (!peek(":>")) return first;
            // a function: k :> v (@@ k :> v)*
            List<Map.Entry<TlaValue, TlaValue>> pairs = new ArrayList<>();
            expect(":>");
            pairs.add(Map.entry(first, atom()));
            while (peek("@@")) {
                expect("@@");
                TlaValue k = atom();
                expect(":>");
                pairs.add(Map.entry(k, atom()));
            }
            return new Fn(pairs);
        }

        TlaValue atom() throws TlaValueException {
            skipWs();
            if (pos >= s.length()) throw error("a value");
            char c = s.charAt(pos);
            if (c == '(') {
                pos++;
                TlaValue v = value();
                expect(")");
                return v;
            }
            if (s.startsWith("<<", pos)) {
                pos += 2;
                List<TlaValue> xs = new ArrayList<>();
                if (!peek(">>")) {
                    xs.add(value());
                    while (peek(",")) { expect(","); xs.add(value()); }
                }
                expect(">>");
                return new Seq(xs);
            }
            if (c == '{') {
                pos++;
                List<TlaValue> xs = new ArrayList<>();
                if (!peek("}")) {
                    xs.add(value());
                    while (peek(",")) { expect(","); xs.add(value()); }
                }
                expect("}");
                return new SetOf(xs);
            }
            if (c == '[') {
                pos++;
                Map<String, TlaValue> fields = new LinkedHashMap<>();
                if (!peek("]")) {
                    do {
                        if (peek(",")) expect(",");
                        skipWs();
                        String name = ident();
                        if (name == null) throw error("a record field name");
                        expect("|->");
                        fields.put(name, value());
                    } while (peek(","));
                }
                expect("]");
                return new Rec(fields);
            }
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                pos++;
                while (pos < s.length() && s.charAt(pos) != '"') {
                    char ch = s.charAt(pos++);
                    if (ch == '\\' && pos < s.length()) {
                        char e = s.charAt(pos++);
                        sb.append(switch (e) { case 'n' -> '\n'; case 't' -> '\t'; default -> e; });
                    } else {
                        sb.append(ch);
                    }
                }
                if (pos >= s.length()) throw error("a closing quote");
                pos++;
                return new Str(sb.toString());
            }
            if (c == '-' || Character.isDigit(c)) {
                int start = pos;
                if (c == '-') pos++;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
                if (pos == start + (c == '-' ? 1 : 0)) throw error("a number");
                return new Int(Long.parseLong(s.substring(start, pos)));
            }
            String id = ident();
            if (id == null) throw error("a value");
            if (id.equals("TRUE")) return new Bool(true);
            if (id.equals("FALSE")) return new Bool(false);
            return new ModelValue(id);
        }

        String ident() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) pos++;
            return pos == start ? null : s.substring(start, pos);
        }
    }
}
