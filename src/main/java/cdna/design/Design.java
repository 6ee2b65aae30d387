package cdna.design;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One design: a value for every {@link Switch}.  The same values become TLA+
 * CONSTANTS for TLC and configure the Java reference implementation.
 * Immutable; {@link #with} derives a variant.
 * <p>
 * The typed accessors ({@link #protection()}, {@link #revokeQuiesce()}, ...)
 * return enums, booleans and ints, decided once in the constructor.  A CHOICE
 * switch's value is one of its enum's constants; a spec string becomes a
 * constant only through {@link Choice#parse}, which rejects a string it does not
 * know (fail closed: an unknown value is an error, never a default).
 * {@link #get} and {@link #values} give the spec view (Boolean, Long, or a
 * choice's spec string), the form TLC cfg files, traces and certificates write.
 */
public final class Design {
    /** Switch Protection. */
    public enum Protection implements Choice {
        SOFTWARE("software"), IOMMU("iommu");

        private final String spec;
        Protection(String spec) { this.spec = spec; }
        @Override public String spec() { return spec; }
    }

    /** Switch IommuStrategy. */
    public enum IommuStrategy implements Choice {
        SINGLE_USE("single-use"), SHARED("shared"), PERSISTENT("persistent"), DIRECT("direct");

        private final String spec;
        IommuStrategy(String spec) { this.spec = spec; }
        @Override public String spec() { return spec; }
    }

    /** Switch Invalidation. */
    public enum Invalidation implements Choice {
        STRICT("strict"), DEFERRED("deferred");

        private final String spec;
        Invalidation(String spec) { this.spec = spec; }
        @Override public String spec() { return spec; }
    }

    /** Switch RevokeQuiesce: how a stopped context is quiesced before it changes hands. */
    public enum RevokeQuiesce implements Choice {
        RESET("reset"), DRAIN_ALL("drain-all"), DRAIN_INFLIGHT("drain-inflight"), NONE("none");

        private final String spec;
        RevokeQuiesce(String spec) { this.spec = spec; }
        @Override public String spec() { return spec; }
    }

    private final String name;
    private final String description;
    /** The spec view: Boolean, Long, or the spec string of a choice. */
    private final EnumMap<Switch, Object> values;

    private final Protection protection;
    private final boolean validateAllPages;
    private final boolean pinPages;
    private final boolean pinAtValidation;
    private final boolean countPins;
    private final boolean sequenceNumbers;
    private final boolean checkTranslatedOwner;
    private final IommuStrategy iommuStrategy;
    private final Invalidation invalidation;
    private final int flushBatch;
    private final boolean flushBeforeReuse;
    private final boolean requesterIdPerContext;
    private final boolean subPageBounce;
    private final RevokeQuiesce revokeQuiesce;
    private final boolean flushOnDomainChange;
    private final boolean unmapGuestAccessOnStop;
    private final boolean scanBeforeClear;
    private final boolean interruptRemapping;
    private final boolean deliverToEventOwner;
    private final boolean quarantineOnUnmap;
    private final boolean settleByVirq;
    private final boolean dirtyLogDma;
    private final boolean failoverBeforeUnplug;
    private final boolean releaseAfterStop;
    private final boolean resumeAfterStopCopy;
    private final boolean stopBeforeResume;
    private final boolean clearMacOnRelease;
    private final boolean resumeWaitsForDirect;
    private final boolean refillCapped;
    private final boolean arbiterHonoursMinimum;
    private final boolean admissionCountsAssigned;

    /**
     * @param values a value for every switch: a Boolean, an Integer or Long, or
     *               for a CHOICE switch its enum constant or that constant's spec string
     * @throws IllegalArgumentException naming the design and the switch, for a
     *         missing value, a value of the wrong kind or a spec string no constant has
     */
    public Design(String name, String description, Map<Switch, Object> values) {
        this.name = Objects.requireNonNull(name);
        this.description = description == null ? "" : description;
        EnumMap<Switch, Object> typed = new EnumMap<>(Switch.class);
        EnumMap<Switch, Object> spec = new EnumMap<>(Switch.class);
        for (Switch s : Switch.values()) {
            Object x = values.get(s);
            if (x == null) throw new IllegalArgumentException("design " + name + ": no value for switch " + s);
            Object t = switch (s.kind()) {
                case BOOL -> {
                    if (!(x instanceof Boolean)) throw badValue(name, s, x);
                    yield x;
                }
                case INT -> {
                    if (!(x instanceof Long || x instanceof Integer)) throw badValue(name, s, x);
                    yield ((Number) x).longValue();
                }
                case CHOICE -> {
                    if (x instanceof String str) yield choice(s.choiceType(), name, s, str);
                    if (s.choiceType().isInstance(x)) yield x;
                    throw badValue(name, s, x);
                }
            };
            typed.put(s, t);
            spec.put(s, t instanceof Choice c ? c.spec() : t);
        }
        long batch = (Long) typed.get(Switch.FlushBatch);
        if (batch < 1) throw new IllegalArgumentException("design " + name + ": FlushBatch must be at least 1");
        if (batch > Integer.MAX_VALUE) throw new IllegalArgumentException("design " + name + ": FlushBatch is too large: " + batch);
        this.values = spec;
        this.protection = (Protection) typed.get(Switch.Protection);
        this.validateAllPages = (Boolean) typed.get(Switch.ValidateAllPages);
        this.pinPages = (Boolean) typed.get(Switch.PinPages);
        this.pinAtValidation = (Boolean) typed.get(Switch.PinAtValidation);
        this.countPins = (Boolean) typed.get(Switch.CountPins);
        this.sequenceNumbers = (Boolean) typed.get(Switch.SequenceNumbers);
        this.checkTranslatedOwner = (Boolean) typed.get(Switch.CheckTranslatedOwner);
        this.iommuStrategy = (IommuStrategy) typed.get(Switch.IommuStrategy);
        this.invalidation = (Invalidation) typed.get(Switch.Invalidation);
        this.flushBatch = (int) batch;
        this.flushBeforeReuse = (Boolean) typed.get(Switch.FlushBeforeReuse);
        this.requesterIdPerContext = (Boolean) typed.get(Switch.RequesterIdPerContext);
        this.subPageBounce = (Boolean) typed.get(Switch.SubPageBounce);
        this.revokeQuiesce = (RevokeQuiesce) typed.get(Switch.RevokeQuiesce);
        this.flushOnDomainChange = (Boolean) typed.get(Switch.FlushOnDomainChange);
        this.unmapGuestAccessOnStop = (Boolean) typed.get(Switch.UnmapGuestAccessOnStop);
        this.scanBeforeClear = (Boolean) typed.get(Switch.ScanBeforeClear);
        this.interruptRemapping = (Boolean) typed.get(Switch.InterruptRemapping);
        this.deliverToEventOwner = (Boolean) typed.get(Switch.DeliverToEventOwner);
        this.quarantineOnUnmap = (Boolean) typed.get(Switch.QuarantineOnUnmap);
        this.settleByVirq = (Boolean) typed.get(Switch.SettleByVirq);
        this.dirtyLogDma = (Boolean) typed.get(Switch.DirtyLogDma);
        this.failoverBeforeUnplug = (Boolean) typed.get(Switch.FailoverBeforeUnplug);
        this.releaseAfterStop = (Boolean) typed.get(Switch.ReleaseAfterStop);
        this.resumeAfterStopCopy = (Boolean) typed.get(Switch.ResumeAfterStopCopy);
        this.stopBeforeResume = (Boolean) typed.get(Switch.StopBeforeResume);
        this.clearMacOnRelease = (Boolean) typed.get(Switch.ClearMacOnRelease);
        this.resumeWaitsForDirect = (Boolean) typed.get(Switch.ResumeWaitsForDirect);
        this.refillCapped = (Boolean) typed.get(Switch.RefillCapped);
        this.arbiterHonoursMinimum = (Boolean) typed.get(Switch.ArbiterHonoursMinimum);
        this.admissionCountsAssigned = (Boolean) typed.get(Switch.AdmissionCountsAssigned);
    }

    private static IllegalArgumentException badValue(String design, Switch s, Object x) {
        return new IllegalArgumentException("design " + design + ": bad value " + x + " for switch " + s
                + (s.kind() == Switch.Kind.CHOICE ? "; allowed values: " + s.choices() : " (expected " + s.kind() + ")"));
    }

    /** {@link Choice#parse}, for a type known only as a switch's choice type. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Choice choice(Class<? extends Choice> type, String design, Switch s, String value) {
        return (Choice) Choice.parse((Class) type, design, s, value);
    }

    /** The safe software (CDNA) baseline. */
    public static Design cdnaBaseline() {
        return new Design("cdna-baseline", "CDNA software protection with every safeguard", baselineValues(Protection.SOFTWARE));
    }

    /** The safe IOMMU baseline: single-use mappings, strict invalidation. */
    public static Design iommuBaseline() {
        return new Design("iommu-baseline", "IOMMU single-use mappings, strict invalidation", baselineValues(Protection.IOMMU));
    }

    private static Map<Switch, Object> baselineValues(Protection protection) {
        EnumMap<Switch, Object> v = new EnumMap<>(Switch.class);
        v.put(Switch.Protection, protection);
        v.put(Switch.ValidateAllPages, true);
        v.put(Switch.PinPages, true);
        v.put(Switch.SequenceNumbers, true);
        v.put(Switch.PinAtValidation, true);
        v.put(Switch.CountPins, true);
        v.put(Switch.CheckTranslatedOwner, true);
        v.put(Switch.IommuStrategy, IommuStrategy.SINGLE_USE);
        v.put(Switch.Invalidation, Invalidation.STRICT);
        v.put(Switch.FlushBatch, 2L);
        v.put(Switch.FlushBeforeReuse, false);
        v.put(Switch.RequesterIdPerContext, true);
        v.put(Switch.SubPageBounce, true);
        v.put(Switch.RevokeQuiesce, RevokeQuiesce.RESET);
        v.put(Switch.FlushOnDomainChange, true);
        v.put(Switch.QuarantineOnUnmap, true);
        v.put(Switch.UnmapGuestAccessOnStop, true);
        v.put(Switch.ScanBeforeClear, true);
        v.put(Switch.InterruptRemapping, true);
        v.put(Switch.DeliverToEventOwner, true);
        v.put(Switch.SettleByVirq, true);
        v.put(Switch.DirtyLogDma, true);
        v.put(Switch.FailoverBeforeUnplug, true);
        v.put(Switch.ReleaseAfterStop, true);
        v.put(Switch.ResumeAfterStopCopy, true);
        v.put(Switch.StopBeforeResume, true);
        v.put(Switch.ClearMacOnRelease, true);
        v.put(Switch.ResumeWaitsForDirect, false);
        v.put(Switch.RefillCapped, true);
        v.put(Switch.ArbiterHonoursMinimum, true);
        v.put(Switch.AdmissionCountsAssigned, true);
        return v;
    }

    /**
     * A copy with one switch changed (and a new name); a choice may be given as
     * its constant or its spec string.
     */
    public Design with(String newName, Switch s, Object value) {
        EnumMap<Switch, Object> v = new EnumMap<>(values);
        v.put(s, value);
        return new Design(newName, description, v);
    }

    public String name() { return name; }
    public String description() { return description; }
    /** The spec view of a switch's value: Boolean, Long, or a choice's spec string. */
    public Object get(Switch s) { return values.get(s); }
    /** The spec view of every switch's value (see {@link #get}). */
    public Map<Switch, Object> values() { return Collections.unmodifiableMap(values); }

    public Protection protection() { return protection; }
    public boolean validateAllPages() { return validateAllPages; }
    public boolean pinPages() { return pinPages; }
    public boolean sequenceNumbers() { return sequenceNumbers; }
    /** Switch CheckTranslatedOwner: full virtualization, the hypervisor checks the machine page a guest-physical address translates to. */
    public boolean checkTranslatedOwner() { return checkTranslatedOwner; }
    public boolean pinAtValidation() { return pinAtValidation; }
    public boolean countPins() { return countPins; }
    public IommuStrategy iommuStrategy() { return iommuStrategy; }
    public Invalidation invalidation() { return invalidation; }
    public int flushBatch() { return flushBatch; }
    public boolean flushBeforeReuse() { return flushBeforeReuse; }
    public boolean requesterIdPerContext() { return requesterIdPerContext; }
    public boolean subPageBounce() { return subPageBounce; }
    public RevokeQuiesce revokeQuiesce() { return revokeQuiesce; }
    public boolean flushOnDomainChange() { return flushOnDomainChange; }
    public boolean unmapGuestAccessOnStop() { return unmapGuestAccessOnStop; }
    public boolean scanBeforeClear() { return scanBeforeClear; }
    public boolean interruptRemapping() { return interruptRemapping; }
    public boolean deliverToEventOwner() { return deliverToEventOwner; }
    public boolean quarantineOnUnmap() { return quarantineOnUnmap; }
    public boolean settleByVirq() { return settleByVirq; }
    public boolean dirtyLogDma() { return dirtyLogDma; }
    public boolean failoverBeforeUnplug() { return failoverBeforeUnplug; }
    public boolean releaseAfterStop() { return releaseAfterStop; }
    public boolean resumeAfterStopCopy() { return resumeAfterStopCopy; }
    public boolean stopBeforeResume() { return stopBeforeResume; }
    public boolean clearMacOnRelease() { return clearMacOnRelease; }
    public boolean resumeWaitsForDirect() { return resumeWaitsForDirect; }
    public boolean refillCapped() { return refillCapped; }
    public boolean arbiterHonoursMinimum() { return arbiterHonoursMinimum; }
    public boolean admissionCountsAssigned() { return admissionCountsAssigned; }

    @Override public boolean equals(Object o) {
        return o instanceof Design d && d.name.equals(name) && d.values.equals(values);
    }
    @Override public int hashCode() { return Objects.hash(name, values); }
    @Override public String toString() { return name + values; }
}
