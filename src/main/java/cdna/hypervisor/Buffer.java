package cdna.hypervisor;

/** TLA+ (CdnaProtection): a buffer [addr, len] a guest asks to enqueue; it may cross into the next machine page. */
public record Buffer(long addr, long len) {
    @Override public String toString() { return "[addr " + addr + ", len " + len + "]"; }
}
