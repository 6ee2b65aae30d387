package cdna.design;

import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.json.LocatedJson.Node;
import cdna.json.LocatedJson.Obj;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads design files (model-check/designs/NAME.json):
 * <pre>
 * { "name": "cdna-no-pinning",
 *   "description": "...",
 *   "base": "cdna-baseline",            (optional: start from another design)
 *   "switches": { "PinPages": false } } (every switch, unless a base supplies it)
 * </pre>
 * A known-bad design names its baseline and turns one protection off, so the
 * file says exactly what changed.
 */
public final class DesignFiles {
    private final Path dir;

    public DesignFiles(Path dir) {
        this(dir, null);
    }

    public Path dir() { return dir; }

    /** The names of the design files in this directory, sorted (empty if there is none). */
    public java.util.List<String> names() {
        String[] files = dir.toFile().list((d, n) -> n.endsWith(".json"));
        if (files == null) return java.util.List.of();
        return java.util.Arrays.stream(files).map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
    }

    public Path fileOf(String name) {
        return dir.resolve(name + ".json");
    }

    public Design load(String name) throws InputException {
        return load(name, new LinkedHashSet<>());
    }

    /**
     * Loads a design file anywhere; a base it names is looked up beside it
     * first, then in this directory (so a new design can build on the known ones).
     */
    public Design loadFile(Path file) throws InputException {
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": no such design file");
        }
        Path beside = file.toAbsolutePath().getParent();
        DesignFiles local = beside.equals(dir.toAbsolutePath()) ? this : new DesignFiles(beside, this);
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        Set<String> chain = new LinkedHashSet<>();
        chain.add(name);
        return local.parse(file, LocatedJson.read(file), chain);
    }

    private final DesignFiles fallback;

    private DesignFiles(Path dir, DesignFiles fallback) {
        this.dir = dir;
        this.fallback = fallback;
    }

    private Design load(String name, Set<String> chain) throws InputException {
        if (!chain.add(name)) {
            throw new InputException(fileOf(name) + ": design bases form a cycle: " + String.join(" -> ", chain) + " -> " + name);
        }
        Path file = fileOf(name);
        if (!Files.isRegularFile(file)) {
            if (fallback != null) {
                chain.remove(name);
                return fallback.load(name, chain);
            }
            throw new InputException(file + ": no such design file (designs live in " + dir + ")");
        }
        return parse(file, LocatedJson.read(file), chain);
    }

    /** Parses one design file; a base design is looked up in this directory. */
    public Design parse(Path file, Node root, Set<String> chain) throws InputException {
        Obj o = LocatedJson.object(root, "a design");
        LocatedJson.onlyKeys(o, Set.of("name", "description", "base", "switches"), "a design");
        String name = LocatedJson.string(LocatedJson.required(o, "name"), "\"name\"");
        String expected = file.getFileName().toString().replaceFirst("\\.json$", "");
        if (!name.equals(expected)) {
            throw new InputException(o.get("name").where() + ": design name \"" + name
                    + "\" must match its file name \"" + expected + "\"");
        }
        String description = o.get("description") == null ? "" : LocatedJson.string(o.get("description"), "\"description\"");
        EnumMap<Switch, Object> values = new EnumMap<>(Switch.class);
        if (o.get("base") != null) {
            String base = LocatedJson.string(o.get("base"), "\"base\"");
            Design b;
            try {
                b = load(base, chain);
            } catch (InputException e) {
                throw new InputException(o.get("base").where() + ": cannot load base design \"" + base + "\": " + e.getMessage());
            }
            values.putAll(b.values());
        }
        Obj sw = LocatedJson.object(LocatedJson.required(o, "switches"), "\"switches\"");
        for (Map.Entry<String, Node> e : sw.fields().entrySet()) {
            Switch s;
            try {
                s = Switch.valueOf(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw new InputException(e.getValue().where() + ": unknown switch \"" + e.getKey()
                        + "\"; expected one of " + java.util.Arrays.toString(Switch.values()));
            }
            values.put(s, value(s, e.getValue()));
        }
        for (Switch s : Switch.values()) {
            if (!values.containsKey(s)) {
                throw new InputException(sw.where() + ": switch \"" + s + "\" has no value (give it here, or name a \"base\" design)");
            }
        }
        try {
            return new Design(name, description, values);
        } catch (IllegalArgumentException e) {
            throw new InputException(sw.where() + ": " + e.getMessage());
        }
    }

    private static Object value(Switch s, Node n) throws InputException {
        String what = "switch \"" + s + "\"";
        return switch (s.kind()) {
            case BOOL -> LocatedJson.bool(n, what);
            case INT -> {
                long v = LocatedJson.integer(n, what);
                if (v < 1 || v > 64) throw new InputException(n.where() + ": " + what + " must be between 1 and 64, found " + v);
                yield v;
            }
            case CHOICE -> {
                String v = LocatedJson.string(n, what);
                if (!s.choices().contains(v)) {
                    throw new InputException(n.where() + ": " + what + " must be one of " + s.choices() + ", found \"" + v + "\"");
                }
                yield v;
            }
        };
    }
}
