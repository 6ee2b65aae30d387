package cdna.check;

import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.json.LocatedJson.Node;
import cdna.json.LocatedJson.Obj;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * model-check/manifest.json: every model TLC checks, with the verdict each
 * property must get.  A malformed entry does not stop the others: it becomes
 * an {@link Entry} carrying its error, which the checker reports as an error
 * verdict naming the file and line.
 */
public final class Manifest {
    /** The verdict a property is expected to get. */
    public enum Expect { holds, violated }

    /**
     * One model: a root module and cfg under model-check/, a design, the
     * expected verdict of each property, and its expected size and budget.
     *
     * @param profile "small" (run by mvn test), "standard" (bin/cdna check) or "deep" (on request)
     */
    public record Model(String name, String profile, String module, String cfg, String design,
                        Map<String, Expect> expected, long minStates, long maxStates, int timeBudgetSeconds,
                        String notes, String where) {}

    /** A model, or the reason its entry could not be read. */
    public record Entry(String name, Model model, String error) {}

    private final Path file;
    private final List<Entry> entries;

    private Manifest(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    public Path file() { return file; }
    public List<Entry> entries() { return entries; }

    /** Reads the manifest; throws only when the file as a whole is unusable. */
    public static Manifest read(Path file) throws InputException {
        Node root = LocatedJson.read(file);
        Obj o = LocatedJson.object(root, "the manifest");
        LocatedJson.onlyKeys(o, Set.of("models", "description"), "the manifest");
        LocatedJson.Arr models = LocatedJson.array(LocatedJson.required(o, "models"), "\"models\"");
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        int i = 0;
        for (Node n : models.items()) {
            i++;
            String name = "entry-" + i;
            if (n instanceof Obj eo && eo.get("name") instanceof LocatedJson.Val v && v.value() instanceof String s) {
                name = s;
            }
            try {
                Model m = model(n);
                if (!names.add(m.name())) {
                    throw new InputException(n.where() + ": model name \"" + m.name() + "\" is used twice");
                }
                entries.add(new Entry(m.name(), m, null));
            } catch (InputException e) {
                entries.add(new Entry(name, null, e.getMessage()));
            }
        }
        return new Manifest(file, entries);
    }

    private static Model model(Node n) throws InputException {
        Obj o = LocatedJson.object(n, "a manifest entry");
        LocatedJson.onlyKeys(o, Set.of("name", "profile", "module", "cfg", "design", "expected", "distinctStates",
                "timeBudgetSeconds", "notes"), "a manifest entry");
        String name = LocatedJson.string(LocatedJson.required(o, "name"), "\"name\"");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new InputException(o.get("name").where() + ": model name must be letters, digits, '.', '_' or '-', found \"" + name + "\"");
        }
        String profile = LocatedJson.string(LocatedJson.required(o, "profile"), "\"profile\"");
        if (!Set.of("small", "standard", "deep").contains(profile)) {
            throw new InputException(o.get("profile").where() + ": \"profile\" must be \"small\", \"standard\" or \"deep\", found \"" + profile + "\"");
        }
        String module = LocatedJson.string(LocatedJson.required(o, "module"), "\"module\"");
        if (!module.endsWith(".tla")) throw new InputException(o.get("module").where() + ": \"module\" must name a .tla file, found \"" + module + "\"");
        String cfg = LocatedJson.string(LocatedJson.required(o, "cfg"), "\"cfg\"");
        if (!cfg.endsWith(".cfg")) throw new InputException(o.get("cfg").where() + ": \"cfg\" must name a .cfg file, found \"" + cfg + "\"");
        String design = LocatedJson.string(LocatedJson.required(o, "design"), "\"design\"");
        Obj exp = LocatedJson.object(LocatedJson.required(o, "expected"), "\"expected\"");
        if (exp.fields().isEmpty()) throw new InputException(exp.where() + ": \"expected\" names no property");
        Map<String, Expect> expected = new LinkedHashMap<>();
        for (var e : exp.fields().entrySet()) {
            String v = LocatedJson.string(e.getValue(), "the expected verdict of " + e.getKey());
            try {
                expected.put(e.getKey(), Expect.valueOf(v));
            } catch (IllegalArgumentException x) {
                throw new InputException(e.getValue().where() + ": expected verdict of " + e.getKey()
                        + " must be \"holds\" or \"violated\", found \"" + v + "\"");
            }
        }
        LocatedJson.Arr range = LocatedJson.array(LocatedJson.required(o, "distinctStates"), "\"distinctStates\"");
        if (range.items().size() != 2) {
            throw new InputException(range.where() + ": \"distinctStates\" must be [min, max], found " + range.items().size() + " numbers");
        }
        long min = LocatedJson.integer(range.items().get(0), "the minimum of \"distinctStates\"");
        long max = LocatedJson.integer(range.items().get(1), "the maximum of \"distinctStates\"");
        if (min < 0 || max < min) throw new InputException(range.where() + ": \"distinctStates\" must have 0 <= min <= max");
        long budget = LocatedJson.integer(LocatedJson.required(o, "timeBudgetSeconds"), "\"timeBudgetSeconds\"");
        if (budget < 1 || budget > 86400) {
            throw new InputException(o.get("timeBudgetSeconds").where() + ": \"timeBudgetSeconds\" must be between 1 and 86400, found " + budget);
        }
        String notes = o.get("notes") == null ? "" : LocatedJson.string(o.get("notes"), "\"notes\"");
        return new Model(name, profile, module, cfg, design, expected, min, max, (int) budget, notes, o.where());
    }
}
