package cdna.cli;

import cdna.check.Manifest;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.json.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** bin/cdna explain PROPERTY: what a property means, its TLA+ text, the designs that break it, its Java checker. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Explain a property: its meaning and TLA+ text (from the specs), the protection modes that must keep it,",
                "the models that check it, the known designs that break it, and where the Java checker judges it.",
                "Exit 0; 2 for a property no spec defines (the known ones are listed)."})
public final class ExplainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PROPERTY", description = "A property name, e.g. InterGuestIsolation.")
    String property;

    @Option(names = "--root", defaultValue = ".", paramLabel = "DIR", description = "Project root (default: current directory).")
    Path root;

    /** A definition found in a spec: its module, line, the comment above it and its text. */
    record Definition(Path file, int line, String comment, String text) {}

    @Override
    public Integer call() throws IOException {
        Path rootDir = root.toAbsolutePath().normalize();
        Manifest manifest;
        try {
            manifest = Manifest.read(rootDir.resolve("model-check/manifest.json"));
        } catch (InputException e) {
            System.err.println("cdna explain: " + e.getMessage());
            return 2;
        }
        if (!property.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            System.err.println("cdna explain: \"" + property + "\" is not a property name; known: " + manifest.properties().keySet());
            return 2;
        }
        List<Definition> defs = definitions(rootDir.resolve("specs"), property);
        Manifest.Property p = manifest.properties().get(property);
        if (p == null && defs.isEmpty()) {
            System.err.println("cdna explain: no spec defines \"" + property + "\"; the properties are " + manifest.properties().keySet());
            return 2;
        }
        System.out.println(property);
        System.out.println("=".repeat(property.length()));
        if (p != null) System.out.println("Required of designs with Protection in " + new TreeSet<>(p.requiredFor()) + ".");
        else System.out.println("Not a property of the manifest: a definition of the specs.");
        for (Definition d : defs) {
            System.out.println();
            System.out.println(rootDir.relativize(d.file()) + ":" + d.line());
            if (!d.comment().isEmpty()) System.out.println(d.comment());
            System.out.println(d.text());
        }
        Map<String, List<String>> models = new TreeMap<>();
        Map<String, List<String>> breakers = new TreeMap<>();
        for (Manifest.Entry e : manifest.entries()) {
            Manifest.Model m = e.model();
            if (m == null || !m.expected().containsKey(property)) continue;
            models.computeIfAbsent(m.template(), k -> new ArrayList<>()).add(m.design());
            if (m.expected().get(property) == Manifest.Expect.violated) {
                breakers.computeIfAbsent(m.design(), k -> new ArrayList<>()).add(m.template());
            }
        }
        System.out.println();
        System.out.println("Checked by the models: " + (models.isEmpty() ? "none" : String.join(", ", models.keySet())));
        System.out.println();
        System.out.println("Known designs that break it (bin/cdna check expects a counterexample):");
        if (breakers.isEmpty()) System.out.println("  none" + (p != null && p.brokenBy() != null ? "; a spec mutant does: " + p.brokenBy() : ""));
        DesignFiles files = new DesignFiles(rootDir.resolve("model-check/designs"));
        for (Map.Entry<String, List<String>> b : breakers.entrySet()) {
            String desc = "";
            try {
                Design d = files.load(b.getKey());
                desc = d.description();
            } catch (InputException x) {
                desc = "(design file unreadable: " + x.getMessage() + ")";
            }
            System.out.println("  " + b.getKey() + " (in " + String.join(", ", b.getValue()) + "): " + desc);
        }
        System.out.println();
        System.out.println("Java checker: " + (p == null || p.java() == null
                ? "none; this property is checked on the spec only (TLC), and its counterexamples are replayed on Java "
                        + "against the invariants it implies" : p.java()));
        return 0;
    }

    /** Every top-level definition {@code name == ...} in specs/*.tla, with the comment lines just above it. */
    static List<Definition> definitions(Path specs, String name) throws IOException {
        List<Definition> out = new ArrayList<>();
        if (!Files.isDirectory(specs)) return out;
        List<Path> files;
        try (var l = Files.list(specs)) {
            files = l.filter(f -> f.toString().endsWith(".tla")).sorted().toList();
        }
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (!l.matches(java.util.regex.Pattern.quote(name) + "(\\(.*\\))?\\s*==.*")) continue;
                int c = i - 1;
                List<String> comment = new ArrayList<>();
                while (c >= 0 && lines.get(c).trim().startsWith("\\*")) comment.add(0, lines.get(c--));
                StringBuilder text = new StringBuilder(l);
                for (int j = i + 1; j < lines.size(); j++) {
                    String n = lines.get(j);
                    if (n.isBlank() || !Character.isWhitespace(n.charAt(0))) break;
                    text.append('\n').append(n);
                }
                out.add(new Definition(f, i + 1, String.join("\n", comment), text.toString()));
            }
        }
        return out;
    }
}
