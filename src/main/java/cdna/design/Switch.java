package cdna.design;

import java.util.List;
import java.util.Objects;

/**
 * The design switches.  Each name is, letter for letter, a TLA+ CONSTANT of the
 * specs and a key of the design files in model-check/designs/.  A CHOICE switch
 * takes the constants of its {@link Choice} enum; their spec strings are its
 * values in the specs and the design files.
 */
public enum Switch {
    /** "software" (CDNA validation by the hypervisor) or "iommu". */
    Protection(Design.Protection.class),
    /** Software: validate every page a buffer touches (false: only its first page). */
    ValidateAllPages(Kind.BOOL),
    /** Software: pin a buffer's pages while its descriptor is outstanding. */
    PinPages(Kind.BOOL),
    /** Software: tag descriptors with per-context sequence numbers the NIC checks. */
    SequenceNumbers(Kind.BOOL),
    /** Software: take each page's pin in the step that checks its owner (false: check every page, pin them later in the hypercall). */
    PinAtValidation(Kind.BOOL),
    /** Software: count each page's pins (false: one pinned bit per page, which the first completion on the page clears). */
    CountPins(Kind.BOOL),
    /** Software, full virtualization: the hypervisor checks that the machine page a guest-physical address translates to is the guest's (false: it posts whatever the translation gives). */
    CheckTranslatedOwner(Kind.BOOL),
    /** IOMMU: what is mapped and for how long. */
    IommuStrategy(Design.IommuStrategy.class),
    /** IOMMU: "strict" (flush before unmap returns) or "deferred" (batched). */
    Invalidation(Design.Invalidation.class),
    /** IOMMU, deferred: flush after this many unmaps. */
    FlushBatch(Kind.INT),
    /** IOMMU, deferred: flush before a page leaves its guest. */
    FlushBeforeReuse(Kind.BOOL),
    /** IOMMU: every context has its own requester ID, hence its own domain. */
    RequesterIdPerContext(Kind.BOOL),
    /** IOMMU, single-use: bounce sub-page buffers so a mapping exposes only the buffer's bytes. */
    SubPageBounce(Kind.BOOL),
    /** Revocation: how a stopped context is quiesced before it changes hands. */
    RevokeQuiesce(Design.RevokeQuiesce.class),
    /** Revocation, IOMMU: flush the IOTLB when a context's mappings (its domain) change. */
    FlushOnDomainChange(Kind.BOOL),
    /** Revocation, IOMMU: an unmapped context's requester ID is left in a quarantine domain (false: back in the hardware domain, which maps the private pages). */
    QuarantineOnUnmap(Kind.BOOL),
    /** Revocation: the outgoing guest loses its doorbell and ring mappings when the context is stopped. */
    UnmapGuestAccessOnStop(Kind.BOOL),
    /** Interrupts: take the set bits and clear exactly those (false: clear the vector, then scan it). */
    ScanBeforeClear(Kind.BOOL),
    /** Interrupts: MSIs pass through interrupt remapping. */
    InterruptRemapping(Kind.BOOL),
    /** Interrupts: settle a pending interrupt with the owner it was raised under before the context changes hands. */
    DeliverToEventOwner(Kind.BOOL),
    /** Interrupts, with DeliverToEventOwner: settle by a last virtual interrupt to the outgoing owner (false: clear the bits, send nothing). */
    SettleByVirq(Kind.BOOL),
    /** Migration: device (DMA) writes are in the dirty log, not only CPU writes. */
    DirtyLogDma(Kind.BOOL),
    /** Migration: traffic fails over to the software path before the direct context is unplugged. */
    FailoverBeforeUnplug(Kind.BOOL),
    /** Migration: the source releases the guest's pages only after its context is stopped and flushed and the guest runs on the destination. */
    ReleaseAfterStop(Kind.BOOL),
    /** Migration: once the source has stopped the guest, the destination resumes only after STOP_COPY has ended. */
    ResumeAfterStopCopy(Kind.BOOL),
    /** Migration: the destination resumes only after the source has stopped the guest. */
    StopBeforeResume(Kind.BOOL),
    /** Migration: releasing the guest's context clears its MAC filter, so its next owner gets none of the guest's frames. */
    ClearMacOnRelease(Kind.BOOL),
    /** Migration: the destination runs the guest only once it has a CDNA context for it. */
    ResumeWaitsForDirect(Kind.BOOL),
    /** Provisioning: a token bucket's refill stops at its burst (false: only the counter's width stops it). */
    RefillCapped(Kind.BOOL),
    /** Provisioning: the transmit arbiter serves contexts below their minimum rate first. */
    ArbiterHonoursMinimum(Kind.BOOL),
    /** Provisioning: admission adds a new context's minimum rate to those of the contexts already assigned. */
    AdmissionCountsAssigned(Kind.BOOL);

    public enum Kind { BOOL, INT, CHOICE }

    /**
     * Whether this switch is Provisioning's (rates and admission).  These change
     * who gets how much of the link, not what a packet costs, so design-space
     * exploration (a frontier of isolation against per-packet cost) leaves them
     * at the base's values unless asked to vary them.
     */
    public boolean provisioning() {
        return this == RefillCapped || this == ArbiterHonoursMinimum || this == AdmissionCountsAssigned;
    }

    private final Kind kind;
    private final Class<? extends Choice> choiceType;
    private final List<String> choices;

    Switch(Kind kind) {
        this.kind = kind;
        this.choiceType = null;
        this.choices = List.of();
    }

    Switch(Class<? extends Choice> choiceType) {
        this.kind = Kind.CHOICE;
        this.choiceType = choiceType;
        this.choices = Choice.specs(choiceType);
    }

    public Kind kind() { return kind; }

    /** The spec strings a CHOICE switch allows, in declaration order (empty for the others). */
    public List<String> choices() { return choices; }

    /** The enum of a CHOICE switch's values; null for the others. */
    public Class<? extends Choice> choiceType() { return choiceType; }

    /**
     * The value as a TLA+ constant in a TLC config file.  A choice may be given
     * as its constant or its spec string; anything else is an error.
     */
    public String toTla(Object value) {
        Objects.requireNonNull(value, () -> "no value for switch " + this);
        return switch (kind) {
            case BOOL -> ((Boolean) value) ? "TRUE" : "FALSE";
            case INT -> Long.toString(((Number) value).longValue());
            case CHOICE -> "\"" + spec(value) + "\"";
        };
    }

    /**
     * The values design-space exploration tries for this switch, around a base
     * value: both booleans, every choice, and for FlushBatch 1, 2 and 4 (and
     * the base's own).
     */
    public List<Object> domain(Object base) {
        return switch (kind) {
            case BOOL -> List.of(false, true);
            case CHOICE -> List.copyOf(choices);
            case INT -> {
                java.util.TreeSet<Long> v = new java.util.TreeSet<>(List.of(1L, 2L, 4L));
                v.add(((Number) base).longValue());
                yield List.copyOf(v);
            }
        };
    }

    /**
     * The protection modes in which this switch has an effect, read from the
     * specs: the software switches are CdnaProtection's, the IOMMU ones
     * IommuProtection's (and ContextOwnership's IOMMU branch; CheckTranslatedOwner is
     * FullVirtualization's hypervisor translation), revocation and
     * interrupt switches are ContextOwnership's in both modes, and the
     * migration switches MigrationHandoff's, whose models compose with
     * software protection only; the provisioning switches are Provisioning's,
     * which checks the NIC's rates whatever protects its DMA.
     */
    public java.util.Set<Design.Protection> modes() {
        return switch (this) {
            case Protection -> java.util.EnumSet.allOf(Design.Protection.class);
            case ValidateAllPages, PinPages, SequenceNumbers, PinAtValidation, CountPins, CheckTranslatedOwner,
                 DirtyLogDma, FailoverBeforeUnplug, ReleaseAfterStop, ResumeAfterStopCopy, StopBeforeResume,
                 ClearMacOnRelease, ResumeWaitsForDirect -> java.util.EnumSet.of(Design.Protection.SOFTWARE);
            case IommuStrategy, Invalidation, FlushBatch, FlushBeforeReuse, RequesterIdPerContext, SubPageBounce,
                 FlushOnDomainChange, QuarantineOnUnmap -> java.util.EnumSet.of(Design.Protection.IOMMU);
            case RevokeQuiesce, UnmapGuestAccessOnStop, ScanBeforeClear, InterruptRemapping, DeliverToEventOwner,
                 SettleByVirq, RefillCapped, ArbiterHonoursMinimum, AdmissionCountsAssigned
                    -> java.util.EnumSet.allOf(Design.Protection.class);
        };
    }

    /**
     * Why this switch's value makes no difference in design d (null when it
     * may).  Each rule is a guard that both the spec and the implementation
     * test before they read the switch, so two designs that differ only in
     * inert switches have the same behaviours, the same verdicts and the same
     * costs: exploring one of them explores both.  Only guards checked in
     * both places are listed (docs/exploration.md gives the lines), and no
     * model of the manifest chooses its designs by one of them.
     */
    public String inertIn(Design d) {
        return switch (this) {
            case FlushBatch, FlushBeforeReuse -> d.get(Invalidation).equals("strict")
                    ? "read only under deferred invalidation (IommuProtection Invalidate; Hypervisor.invalidate)" : null;
            case SubPageBounce -> !d.get(IommuStrategy).equals("single-use")
                    ? "read only by single-use mappings (IommuProtection MapOf; Hypervisor bounce)" : null;
            case SettleByVirq -> !Boolean.TRUE.equals(d.get(DeliverToEventOwner))
                    ? "read only when DeliverToEventOwner settles (ContextOwnership StopContext; Hypervisor.stopContext)" : null;
            default -> null;
        };
    }

    /** The spec string of a value of this CHOICE switch: its constant's, or the string itself if it is one. */
    String spec(Object value) {
        if (choiceType.isInstance(value)) return ((Choice) value).spec();
        if (value instanceof String str && choices.contains(str)) return str;
        throw new IllegalArgumentException("switch " + this + " has no value " + value + "; allowed values: " + choices);
    }
}
