package cdna.conformance;

import cdna.check.Cfg;
import cdna.check.TlcRunner;
import cdna.design.Design;
import cdna.design.Switch;
import cdna.json.InputException;
import cdna.sim.HostSystem;
import cdna.trace.TlaValue;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Java machine's derived sets checked against the spec's own definitions
 * on sampled states.  The Java side computes DeviceReach, PostedCells and
 * IssuersInReach its own way ({@code HostSystem}: the device's reach by running
 * a copy of the NIC, the posted cells from the hypervisor's books, the issuers
 * from ghost history); the spec defines them over its variables.  Each sampled
 * Java state goes through the abstraction function into a generated module
 * that starts ContextOwnership in exactly those states and has TLC print the
 * spec's three sets for every context; any difference is a drift between spec
 * and code, named by sample, context and set.
 */
public final class DerivedSets {
    /** One set on which Java and the spec disagree in one sampled state. */
    public record Difference(int sample, String context, String set, String java, String spec) {
        @Override public String toString() {
            return "sample " + sample + ", " + set + "(" + context + "): Java " + java + ", spec " + spec;
        }
    }

    /** What a check found: the differences (empty: agreement), or an error; and the TLC command line. */
    public record Result(int samples, List<Difference> differences, String error, List<String> command) {}

    private static final List<String> SETS = List.of("DeviceReach", "PostedCells", "IssuersInReach");

    private final Path root;
    private final TlcRunner runner;

    public DerivedSets(Path root, TlcRunner runner) {
        this.root = root;
        this.runner = runner;
    }

    /** The Java machine for cfg (a ContextOwnership model) under design, contexts starting with the given owners. */
    public static HostSystem machine(Path root, String cfgName, Design design, List<String> ctxOwners) throws InputException {
        return machine(root, cfgName, design, ctxOwners, Set.of());
    }

    /** The same, with faults planted in the code (tests: a drift the check must catch). */
    public static HostSystem machine(Path root, String cfgName, Design design, List<String> ctxOwners,
                                     Set<cdna.design.Mutant> mutants) throws InputException {
        ModelSetup m = setup(root, cfgName, design, ctxOwners);
        return new HostSystem(m.config(), design, mutants);
    }

    private static ModelSetup setup(Path root, String cfgName, Design design, List<String> ctxOwners) throws InputException {
        Cfg cfg = Cfg.read(root.resolve("model-check").resolve(cfgName));
        if (!cfg.hasConstant("Protection")) {
            throw new InputException(cfg.source() + ": expected a ContextOwnership model (a cfg with the Protection switch)");
        }
        return ModelSetup.build(cfg, design, ctxOwners);
    }

    /**
     * Checks the samples (states of machines built by {@link #machine} with the
     * same cfg, design and owners) in one TLC run under workDir.
     */
    public Result check(String cfgName, Design design, List<String> ctxOwners, List<HostSystem> samples, Path workDir)
            throws IOException, InputException {
        ModelSetup m = setup(root, cfgName, design, ctxOwners);
        Cfg cfg = m.cfg();
        Set<String> declared = cfg.modelValues();
        Set<String> names = new TreeSet<>(declared);
        for (Cfg.Constant c : cfg.constants().values()) if (c.name().equals(c.value())) names.add(c.name());

        List<Map<String, JsonNode>> states = new ArrayList<>();
        List<Map<String, Map<String, SortedSet<String>>>> java = new ArrayList<>();
        for (HostSystem s : samples) {
            states.add(Abstraction.of(s, m));
            Map<String, Map<String, SortedSet<String>>> sets = new TreeMap<>();
            for (String c : m.config().contexts()) {
                int i = s.ctx(c);
                Map<String, SortedSet<String>> per = new LinkedHashMap<>();
                per.put("DeviceReach", strings(s.deviceReach(c)));
                per.put("PostedCells", strings(s.postedCells(c)));
                per.put("IssuersInReach", new TreeSet<>(s.issuersInReach(i)));
                sets.put(c, per);
            }
            java.add(sets);
        }

        Files.createDirectories(workDir);
        String name = "DerivedSetsCheck";
        StringBuilder t = new StringBuilder();
        t.append("---- MODULE ").append(name).append(" ----\n");
        t.append("\\* Generated by cdna: ContextOwnership started in ").append(samples.size())
                .append(" states sampled from the Java machine, printing the spec's derived sets in each.\n");
        t.append("EXTENDS MCContextOwnership, Integers, Sequences, TLC\n");
        if (!declared.isEmpty()) t.append("CONSTANTS ").append(String.join(", ", declared)).append('\n');
        t.append("\\* Which sampled state this is.\nVARIABLE dsSample\n");
        t.append("DSStates == <<\n");
        for (int k = 0; k < states.size(); k++) {
            t.append("  [");
            int n = 0;
            for (var e : states.get(k).entrySet()) {
                if (n++ > 0) t.append(", ");
                t.append(e.getKey()).append(" |-> ").append(tla(e.getValue(), names));
            }
            t.append(k + 1 < states.size() ? "],\n" : "]\n");
        }
        t.append(">>\n");
        t.append("DSInit == \\E k \\in 1..Len(DSStates) : dsSample = k");
        for (String v : m.variables()) t.append(" /\\ ").append(v).append(" = DSStates[k].").append(v);
        t.append("\nDSSpec == DSInit /\\ [][FALSE]_<<vars, dsSample>>\n");
        t.append("\\* A cell as a machine address: CdnaProtection's cells are addresses, IommuProtection's [page, off].\n");
        t.append("DSAddr(x) == IF Software THEN x ELSE (x.page - 1) * PageSize + x.off\n");
        t.append("DSPrint == \\A c \\in Contexts : PrintT(<<\"DS\", dsSample, c, {DSAddr(x) : x \\in DeviceReach(c)}, ")
                .append("{DSAddr(x) : x \\in PostedCells(c)}, IssuersInReach(c)>>)\n====\n");
        Path module = workDir.resolve(name + ".tla");
        Files.writeString(module, t.toString());
        Map<String, String> overrides = new TreeMap<>();
        for (Switch sw : Switch.values()) if (cfg.hasConstant(sw.name())) overrides.put(sw.name(), sw.toTla(design.get(sw)));
        Path cfgFile = workDir.resolve(name + ".cfg");
        // The samples have no successors: that is no deadlock.
        Files.writeString(cfgFile, cfg.renderForExplain(overrides, declared, "DSSpec", "DSPrint") + "CHECK_DEADLOCK FALSE\n");

        Path mc = root.resolve("model-check").toAbsolutePath();
        List<Path> lib = List.of(mc, root.resolve("specs").toAbsolutePath());
        TlcRunner.Run run = runner.run(new TlcRunner.Request(module, cfgFile, lib, 1, Duration.ofMinutes(5), workDir.resolve("tlc"),
                List.of()));
        Files.writeString(workDir.resolve("command.txt"), TlcRunner.shellLine(run.command()) + "\n");
        if (run.timedOut() || run.exitCode() != 0) {
            return new Result(samples.size(), List.of(), "TLC " + (run.timedOut() ? "timed out" : "exited " + run.exitCode())
                    + "; log " + run.log(), run.command());
        }
        Map<Integer, Map<String, List<TlaValue>>> printed = new TreeMap<>();
        for (String line : run.output()) {
            String l = line.strip();
            if (!l.startsWith("<<\"DS\",")) continue;
            TlaValue v;
            try {
                v = TlaValue.parse(l);
            } catch (TlaValue.TlaValueException e) {
                return new Result(samples.size(), List.of(), "unparsable TLC output: " + l + ": " + e.getMessage(), run.command());
            }
            if (!(v instanceof TlaValue.Seq seq) || seq.elements().size() != 6 || !(seq.elements().get(1) instanceof TlaValue.Int k)) {
                return new Result(samples.size(), List.of(), "unexpected TLC output: " + l, run.command());
            }
            printed.computeIfAbsent((int) k.value(), x -> new TreeMap<>()).put(atom(seq.elements().get(2)), seq.elements().subList(3, 6));
        }
        List<Difference> diffs = new ArrayList<>();
        for (int k = 0; k < samples.size(); k++) {
            Map<String, List<TlaValue>> spec = printed.get(k + 1);
            for (var e : java.get(k).entrySet()) {
                List<TlaValue> sets = spec == null ? null : spec.get(e.getKey());
                if (sets == null) {
                    return new Result(samples.size(), diffs, "TLC printed nothing for sample " + (k + 1) + ", context " + e.getKey(),
                            run.command());
                }
                for (int i = 0; i < SETS.size(); i++) {
                    SortedSet<String> j = e.getValue().get(SETS.get(i));
                    SortedSet<String> sp = strings(sets.get(i));
                    if (!j.equals(sp)) diffs.add(new Difference(k + 1, e.getKey(), SETS.get(i), j.toString(), sp.toString()));
                }
            }
        }
        return new Result(samples.size(), diffs, null, run.command());
    }

    private static SortedSet<String> strings(java.util.Collection<?> xs) {
        TreeSet<String> r = new TreeSet<>();
        for (Object x : xs) r.add(x.toString());
        return r;
    }

    private static SortedSet<String> strings(TlaValue set) {
        TreeSet<String> r = new TreeSet<>();
        if (set instanceof TlaValue.SetOf s) for (TlaValue x : s.elements()) r.add(atom(x));
        else if (set instanceof TlaValue.Seq s && s.elements().isEmpty()) return r;  // TLC prints {} and <<>> alike
        else r.add("?" + set);
        return r;
    }

    private static String atom(TlaValue v) {
        if (v instanceof TlaValue.Int i) return Long.toString(i.value());
        if (v instanceof TlaValue.ModelValue m) return m.name();
        if (v instanceof TlaValue.Str s) return s.value();
        return v.toString();
    }

    /** A normalized abstraction value as a TLA+ expression; names are model values, other strings are strings. */
    static String tla(JsonNode n, Set<String> names) {
        if (Values.isSet(n)) {
            List<String> xs = new ArrayList<>();
            for (JsonNode x : n.get(Values.SET)) xs.add(tla(x, names));
            return "{" + String.join(", ", xs) + "}";
        }
        if (n.isArray()) {
            List<String> xs = new ArrayList<>();
            for (JsonNode x : n) xs.add(tla(x, names));
            return "<<" + String.join(", ", xs) + ">>";
        }
        if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            boolean record = !keys.isEmpty();
            for (String k : keys) record &= !names.contains(k) && !k.matches("-?\\d+");
            List<String> xs = new ArrayList<>();
            for (Iterator<String> it = keys.iterator(); it.hasNext(); ) {
                String k = it.next();
                xs.add(record ? k + " |-> " + tla(n.get(k), names)
                        : (k.matches("-?\\d+") || names.contains(k) ? k : "\"" + k + "\"") + " :> " + tla(n.get(k), names));
            }
            if (xs.isEmpty()) return "<<>>";
            return record ? "[" + String.join(", ", xs) + "]" : "(" + String.join(" @@ ", xs) + ")";
        }
        if (n.isBoolean()) return n.booleanValue() ? "TRUE" : "FALSE";
        if (n.isNumber()) return Long.toString(n.longValue());
        String s = n.asText();
        return names.contains(s) ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
