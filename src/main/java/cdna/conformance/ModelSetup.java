package cdna.conformance;

import cdna.check.Cfg;
import cdna.check.Manifest;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.design.Switch;
import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.memory.HostMemory;
import cdna.sim.Config;
import cdna.trace.TlaValue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TLC model a trace came from, rebuilt as a Java system: the trace (or,
 * for traces older than certification, its manifest entry) names the cfg
 * (guests, pages, contexts, ring size, ...) and the design (the switches,
 * which override the cfg's as ModelChecker does), and the trace's first state
 * says which InitCtxOwners assignment TLC started from.
 *
 * @param cdna         the DMA layer is CdnaProtection (Protection = "software"); otherwise IommuProtection
 * @param ownership    the model is MCContextOwnership: both layers' variables are in every state (the one not in
 *                     use stays at its Init), with the ownership and interrupt variables, and pages are 1..NPages
 *                     in both layers (ContextOwnership instantiates IommuProtection WITH Pages <- 1..NPages)
 * @param pageNames    IOMMU only, outside ContextOwnership: the model values of Pages; page i (from 1) of the Java
 *                     machine is pageNames[i-1]
 * @param hyp          the cfg's name for the hypervisor as page owner
 * @param sharedRid    IOMMU and ContextOwnership: the cfg's name for the shared requester ID
 * @param noGuest      ContextOwnership only: the cfg's name for "nobody is owed an interrupt"
 * @param modelDoorbell CDNA only: FALSE means the spec lets the NIC fetch whenever it likes
 * @param modelIommuRing ContextOwnership under IOMMU protection: the spec tracks who wrote each slot of the
 *                     guest-written ring (slotOwner, NoGuest for an empty slot) and has WriteDescriptor
 */
record ModelSetup(Cfg cfg, Design design, Config config, boolean cdna, boolean ownership,
                  List<String> pageNames, String hyp, String sharedRid, String noGuest, boolean modelDoorbell,
                  boolean modelIommuRing) {

    static final List<String> CDNA_VARS = List.of("owner", "ctxOwner", "ring", "prod", "reaped", "nicNext", "doorbell", "engine", "call",
            "pinBit");
    static final List<String> IOMMU_VARS = List.of("owner", "ctxOwner", "posted", "persist", "iotlb", "unflushed");

    /** ContextOwnership's VARIABLES, in the spec's order. */
    static final List<String> OWNERSHIP_VARS = List.of("owner", "ctxOwner", "ring", "prod", "reaped", "nicNext", "doorbell", "engine",
            "posted", "persist", "iotlb", "unflushed", "phase", "holders", "slotOwner", "engineOwner", "irte", "vector", "physIrq",
            "taken", "scanDue", "owedTo");

    List<String> variables() { return ownership ? OWNERSHIP_VARS : cdna ? CDNA_VARS : IOMMU_VARS; }

    /** Whether pages are the integers 1..NPages (CdnaProtection, and both layers under ContextOwnership). */
    boolean integerPages() { return cdna || ownership; }

    /** The Java page number of a page parameter: an integer in CdnaProtection, a model value in IommuProtection. */
    int page(LocatedJson.Node n, String what) throws InputException {
        if (integerPages()) {
            long p = LocatedJson.integer(n, what);
            if (p < 1 || p > config.nPages()) {
                throw new InputException(n.where() + ": expected " + what + " in 1.." + config.nPages() + ", found " + p);
            }
            return (int) p;
        }
        String name = LocatedJson.string(n, what);
        int i = pageNames.indexOf(name);
        if (i < 0) throw new InputException(n.where() + ": expected " + what + " to be one of " + pageNames + ", found \"" + name + "\"");
        return i + 1;
    }

    String pageName(int p) { return integerPages() ? Integer.toString(p) : pageNames.get(p - 1); }

    /** An owner as the spec names it (the hypervisor's name comes from the cfg). */
    String ownerName(String javaOwner) { return HostMemory.HYP.equals(javaOwner) ? hyp : javaOwner; }

    String guest(LocatedJson.Node n, String what) throws InputException {
        String g = LocatedJson.string(n, what);
        if (!config.guests().contains(g)) {
            throw new InputException(n.where() + ": expected " + what + " to be a guest " + config.guests() + ", found \"" + g + "\"");
        }
        return g;
    }

    String context(LocatedJson.Node n, String what) throws InputException {
        String c = LocatedJson.string(n, what);
        if (!config.contexts().contains(c)) {
            throw new InputException(n.where() + ": expected " + what + " to be a context " + config.contexts() + ", found \"" + c + "\"");
        }
        return c;
    }

    static ModelSetup of(Path root, Trace t) throws InputException {
        Source src = source(root, t);
        Cfg cfg = src.cfg();
        Design design = src.design();
        Constants k = new Constants(cfg);
        LocatedJson.Obj init = t.states().get(0).vars();
        LocatedJson.Obj owners = LocatedJson.object(LocatedJson.required(init, "ctxOwner"), "ctxOwner in the first state");
        List<String> guests = k.names("Guests");
        List<String> contexts = k.names("Contexts");
        List<String> ctxOwners = new ArrayList<>();
        for (String c : contexts) {
            LocatedJson.Node g = owners.get(c);
            if (g == null) throw new InputException(owners.where() + ": ctxOwner has no entry for context " + c);
            String name = LocatedJson.string(g, "ctxOwner[" + c + "]");
            if (!guests.contains(name)) {
                throw new InputException(g.where() + ": expected ctxOwner[" + c + "] to be a guest " + guests + ", found \"" + name + "\"");
            }
            ctxOwners.add(name);
        }
        for (String c : owners.fields().keySet()) {
            if (!contexts.contains(c)) {
                throw new InputException(owners.get(c).where() + ": ctxOwner names \"" + c + "\", which is not a context " + contexts);
            }
        }
        return build(cfg, design, ctxOwners);
    }

    /** The cfg and the design a trace was checked with. */
    record Source(Cfg cfg, Design design) {}

    /** The trace's cfg and design: from its own "cfg" and "switches", or from its manifest entry and design file. */
    static Source source(Path root, Trace t) throws InputException {
        Path mc = root.resolve("model-check");
        String cfgName;
        Design design;
        if (t.cfg() != null) {
            // the trace says which cfg and which switch values: no manifest entry is needed (a certified design file
            // may live anywhere and have none)
            cfgName = t.cfg();
            design = designOf(t);
        } else {
            Manifest manifest = Manifest.read(mc.resolve("manifest.json"));
            Manifest.Entry entry = null;
            for (Manifest.Entry e : manifest.entries()) if (e.name().equals(t.model())) entry = e;
            if (entry == null) {
                throw new InputException(t.modelNode().where() + ": model \"" + t.model() + "\" is not in " + manifest.file()
                        + ", and the trace does not name its cfg, so its constants are unknown");
            }
            if (entry.model() == null) throw new InputException(entry.error());
            Manifest.Model m = entry.model();
            if (!m.design().equals(t.design())) {
                throw new InputException(t.designNode().where() + ": model " + m.name() + " is checked under design \"" + m.design()
                        + "\" (" + m.where() + "), but the trace says \"" + t.design() + "\"");
            }
            cfgName = m.cfg();
            design = new DesignFiles(mc.resolve("designs")).load(t.design());
        }
        Path cfgPath = mc.resolve(cfgName);
        if (!java.nio.file.Files.isRegularFile(cfgPath)) {
            throw new InputException((t.cfgNode() == null ? t.modelNode() : t.cfgNode()).where() + ": the trace's cfg " + cfgPath
                    + " does not exist");
        }
        return new Source(Cfg.read(cfgPath), design);
    }

    /** The ContextOwnership model model-check/{cfgName} under design, contexts starting with the given owners. */
    static ModelSetup ownership(Path root, String cfgName, Design design, List<String> ctxOwners) throws InputException {
        Cfg cfg = Cfg.read(root.resolve("model-check").resolve(cfgName));
        if (!cfg.hasConstant("Protection")) {
            throw new InputException(cfg.source() + ": expected a ContextOwnership model (a cfg with the Protection switch)");
        }
        return build(cfg, design, ctxOwners);
    }

    /**
     * The model of cfg under design, started from the given assignment of
     * contexts to guests (one of InitCtxOwners): for running the Java machine
     * on the model's constants without a trace.
     */
    static ModelSetup build(Cfg cfg, Design design, List<String> ctxOwners) throws InputException {
        Constants k = new Constants(cfg);

        // ContextOwnership is the only spec with both layers, and its design picks the layer in use.
        boolean ownership = cfg.hasConstant("Protection");
        boolean software = design.protection() == Design.Protection.SOFTWARE;
        boolean cdna = ownership ? software : cfg.hasConstant("NPages");
        if (cdna != software) {
            throw new InputException(cfg.source() + ": this cfg is for " + (cdna ? "CdnaProtection" : "IommuProtection")
                    + " but design " + design.name() + " uses " + (software ? "software" : "IOMMU") + " protection");
        }
        List<String> guests = k.names("Guests");
        List<String> contexts = k.names("Contexts");
        String hyp = k.name("Hyp");
        int pageSize = k.integer("PageSize");
        long maxLen = k.integer("MaxLen");
        int ringSize = k.integer("RingSize");
        List<String> pageNames;
        int nPages;
        int seqMod;
        boolean modelDoorbell;
        String sharedRid;
        String noGuest = null;
        boolean modelIommuRing = false;
        if (ownership) {
            nPages = k.integer("NPages");
            seqMod = k.integer("SeqMod");
            modelDoorbell = k.bool("ModelDoorbell");
            pageNames = List.of();
            sharedRid = k.name("SharedRid");
            noGuest = k.name("NoGuest");
            modelIommuRing = !software && k.bool("ModelIommuRing");
        } else if (cdna) {
            nPages = k.integer("NPages");
            seqMod = k.integer("SeqMod");
            modelDoorbell = k.bool("ModelDoorbell");
            pageNames = List.of();
            sharedRid = null;
        } else {
            pageNames = k.names("Pages");
            nPages = pageNames.size();
            // IommuProtection has no sequence numbers; the Java NIC still needs a counter modulus.
            seqMod = 2 * ringSize;
            modelDoorbell = true;
            sharedRid = k.name("SharedRid");
        }

        Config config;
        try {
            config = new Config(guests, nPages, pageSize, maxLen, contexts, ctxOwners, ringSize, seqMod, true, 1,
                    ownership && cfg.hasConstant("PrivatePages") ? k.integers("PrivatePages") : java.util.Set.of(),
                    ownership && cfg.hasConstant("MsiPages") ? k.integers("MsiPages") : java.util.Set.of(),
                    slices(cfg, k, pageNames, hyp));
        } catch (IllegalArgumentException e) {
            throw new InputException(cfg.source() + ": the Java model cannot be built from these constants: " + e.getMessage());
        }
        return new ModelSetup(cfg, design, config, cdna, ownership, pageNames, hyp, sharedRid, noGuest, modelDoorbell, modelIommuRing);
    }

    /** IommuProtection's SlicedPages and SliceOwner, as page numbers (in the order of Pages) to the owner of their upper half. */
    private static java.util.Map<Integer, String> slices(Cfg cfg, Constants k, List<String> pageNames, String hyp) throws InputException {
        if (!cfg.hasConstant("SlicedPages")) return java.util.Map.of();
        String owner = k.name("SliceOwner");
        if (owner.equals(hyp)) owner = HostMemory.HYP;
        java.util.Map<Integer, String> r = new java.util.TreeMap<>();
        for (String p : k.namesOrNone("SlicedPages")) {
            int i = pageNames.indexOf(p);
            if (i < 0) throw new InputException(cfg.source() + ": SlicedPages names " + p + ", which is not in Pages");
            r.put(i + 1, owner);
        }
        return r;
    }

    /** The design a trace names by its switches: every switch, each with a value of its kind. */
    private static Design designOf(Trace t) throws InputException { return designOf(t.design(), t.switches(), "trace"); }

    /** A design by name and switch values (every switch, each with a value of its kind), as a trace or a step log records it. */
    static Design designOf(String name, LocatedJson.Obj switches, String source) throws InputException {
        java.util.EnumMap<Switch, Object> values = new java.util.EnumMap<>(Switch.class);
        for (var e : switches.fields().entrySet()) {
            Switch s;
            try {
                s = Switch.valueOf(e.getKey());
            } catch (IllegalArgumentException x) {
                throw new InputException(e.getValue().where() + ": unknown switch \"" + e.getKey() + "\"");
            }
            String what = "switch " + s;
            Object v = switch (s.kind()) {
                case BOOL -> LocatedJson.bool(e.getValue(), what);
                case INT -> LocatedJson.integer(e.getValue(), what);
                case CHOICE -> {
                    String c = LocatedJson.string(e.getValue(), what);
                    if (!s.choices().contains(c)) {
                        throw new InputException(e.getValue().where() + ": " + what + " must be one of " + s.choices()
                                + ", found \"" + c + "\"");
                    }
                    yield c;
                }
            };
            values.put(s, v);
        }
        for (Switch s : Switch.values()) {
            if (!values.containsKey(s)) throw new InputException(switches.where() + ": the " + source + " gives no value for switch " + s);
        }
        try {
            return new Design(name, "", values);
        } catch (IllegalArgumentException e) {
            throw new InputException(switches.where() + ": " + e.getMessage());
        }
    }

    /** Constants of a cfg, parsed as TLA+ values; every complaint names the cfg line. */
    record Constants(Cfg cfg) {
        private TlaValue value(String name) throws InputException {
            Cfg.Constant c = cfg.constants().get(name);
            if (c == null) throw new InputException(cfg.source() + ": expected a constant " + name + ", found none");
            if (c.substitution()) {
                throw new InputException(cfg.source() + ":" + c.line() + ": expected " + name + " = value, found " + name + " <- " + c.value());
            }
            try {
                return TlaValue.parse(c.value());
            } catch (TlaValue.TlaValueException e) {
                throw new InputException(cfg.source() + ":" + c.line() + ": constant " + name + ": " + e.getMessage());
            }
        }

        private InputException wrong(String name, String expected) {
            Cfg.Constant c = cfg.constants().get(name);
            return new InputException(cfg.source() + ":" + c.line() + ": expected " + name + " to be " + expected + ", found " + c.value());
        }

        int integer(String name) throws InputException {
            if (value(name) instanceof TlaValue.Int i && i.value() >= 0 && i.value() <= Integer.MAX_VALUE) return (int) i.value();
            throw wrong(name, "a natural number");
        }

        boolean bool(String name) throws InputException {
            if (value(name) instanceof TlaValue.Bool b) return b.value();
            throw wrong(name, "TRUE or FALSE");
        }

        String name(String name) throws InputException {
            if (value(name) instanceof TlaValue.ModelValue m) return m.name();
            throw wrong(name, "a model value");
        }

        /** A set of natural numbers (possibly empty), such as PrivatePages. */
        java.util.Set<Integer> integers(String name) throws InputException {
            if (value(name) instanceof TlaValue.SetOf s) {
                java.util.Set<Integer> r = new java.util.TreeSet<>();
                for (TlaValue v : s.elements()) {
                    if (!(v instanceof TlaValue.Int i) || i.value() < 0 || i.value() > Integer.MAX_VALUE) throw wrong(name, "a set of natural numbers");
                    r.add((int) i.value());
                }
                return r;
            }
            throw wrong(name, "a set of natural numbers");
        }

        /** A set of model values that may be empty, such as SlicedPages. */
        List<String> namesOrNone(String name) throws InputException {
            if (value(name) instanceof TlaValue.SetOf s && s.elements().isEmpty()) return List.of();
            return names(name);
        }

        /** A set of model values, in the order the cfg lists them (which fixes the Java numbering of pages). */
        List<String> names(String name) throws InputException {
            if (value(name) instanceof TlaValue.SetOf s && !s.elements().isEmpty()) {
                List<String> r = new ArrayList<>();
                for (TlaValue v : s.elements()) {
                    if (!(v instanceof TlaValue.ModelValue m) || r.contains(m.name())) throw wrong(name, "a set of distinct model values");
                    r.add(m.name());
                }
                return r;
            }
            throw wrong(name, "a non-empty set of model values");
        }
    }
}
