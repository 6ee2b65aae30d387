-------------------------- MODULE MigrationHandoff --------------------------
(***************************************************************************)
(* Live migration of a guest that drives a NIC context directly (CDNA) on  *)
(* host A to host B, which has CDNA or only the software path (a driver    *)
(* domain that copies packets).  The protocol, in VFIO's vocabulary:       *)
(*   fail over   the guest's traffic moves from its direct context to the  *)
(*               software path with the same MAC;                          *)
(*   unplug      the guest detaches the direct context (it may refuse, and *)
(*               then the migration is cancelled); A stops it (reset:      *)
(*               in-flight DMA dropped) and flushes its mappings;          *)
(*   pre-copy    guest pages are copied while the guest runs, and every    *)
(*               write, by the CPU or by the device, marks its page dirty; *)
(*   STOP        the guest's vCPUs stop: no DMA, no interrupts;            *)
(*   STOP_COPY   the pages still dirty, then device and ring state, are    *)
(*               copied;                                                   *)
(*   RESUMING    B loads the state; RUNNING: the guest runs on B, which    *)
(*               announces its MAC, and gets a CDNA context if B has CDNA; *)
(*   release     A frees the guest's pages and its context, which another  *)
(*               guest may get next.                                       *)
(* Design switches drop or reorder steps of that protocol.                 *)
(*                                                                         *)
(* The layers below are abstracted, not copied: the guest's context on A   *)
(* is ContextOwnership's pipeline (assigned, stopped and quiesced by a     *)
(* reset, unmapped, free) seen from the migration, and its reach is every  *)
(* page the guest owns on A while the context may still DMA (a guest can   *)
(* post any page of its own; the layer specs check that it reaches no      *)
(* other).  What the migration can break on A is the contract of           *)
(* DmaIsolation while A reuses the pages, so NoDmaAfterRelease is that     *)
(* contract's InterGuestIsolation, by instance.                            *)
(*                                                                         *)
(* Memory is tracked by content: every write, by the CPU or by DMA, stores *)
(* a fresh version number in its page, so "B's copy has every write" is    *)
(* "B's copy equals A's memory", which no writer may change once STOP has  *)
(* passed.                                                                 *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
  \* The guest that migrates.
  M,
  \* Another guest on A, malicious: it takes every page and context A frees.
  O,
  \* The hypervisor as page owner on A; it also holds the free pool.
  Hyp,
  \* Machine pages of host A.
  APages,
  \* The migrating guest's pages (on A, the machine pages with the same numbers).
  GPages,
  \* Writes to the guest's pages a behaviour may make (versions 1..MaxWrites), for a finite model.
  MaxWrites,
  \* Frames sent to the guest's MAC during the model.
  MaxFrames,
  \* Whether host B has CDNA (a NIC context for the guest) or only the software path.
  BHasCdna,
  \* Whether the migration may be cancelled: the guest refusing the unplug, or an error or the operator before STOP.
  MayCancel,
  \* Design switch: device (DMA) writes are in the dirty log, not only CPU writes.
  DirtyLogDma,
  \* Design switch: traffic fails over to the software path before the direct context is unplugged.
  FailoverBeforeUnplug,
  \* Design switch: A's pages are released only after the context is stopped and its mappings flushed.
  ReleaseAfterStop,
  \* Design switch: once A has stopped the guest, B resumes only after STOP_COPY has ended.
  ResumeAfterStopCopy,
  \* Design switch: B resumes only after A has stopped the guest.
  StopBeforeResume,
  \* Design switch: releasing the context clears its MAC filter, so its next owner gets none of the guest's frames.
  ClearMacOnRelease,
  \* Design switch: B runs the guest only once it has a CDNA context for it.
  ResumeWaitsForDirect

ASSUME GPages \subseteq APages /\ GPages # {} /\ APages \ GPages # {}
ASSUME MaxWrites \in Nat /\ MaxFrames \in Nat
ASSUME M # O

Frames == 1..MaxFrames
Hosts == {"A", "B"}
NoPage == 0

VARIABLES
  \* src: the guest on A: "RUNNING", "STOP", then "STOP_COPY_DONE" once the final copy is done.
  src,
  \* dst: the guest on B: "NONE", "RESUMING", "RUNNING".
  dst,
  \* migrating: a migration is under way; cancelled: it was given up.
  migrating, cancelled,
  \* path: how the guest's frames reach it on A: "direct" (its context), "software", or "none".
  path,
  \* unplug: the direct context's hot-unplug: "no", "requested", "done", "failed".
  unplug,
  \* ctx: the guest's context on A: "assigned", "unplugged" (detached, may still DMA), "stopped" (reset and flushed), "free", "other" (given to O).
  ctx,
  \* pending: the page the context's one in-flight DMA will write, or NoPage.
  pending,
  \* ownerA[p]: who owns machine page p of A (M, O, or Hyp).
  ownerA,
  \* memA[p], memB[p]: the version last written to guest page p on A, and B's copy of it.
  memA, memB,
  \* writes: versions used so far.
  writes,
  \* logging, dirty: dirty logging is on, and the pages written since they were last copied.
  logging, dirty,
  \* devCopies: how often the device and ring state was copied to B.
  devCopies,
  \* directB: the guest has a CDNA context on B.
  directB,
  \* sent: frames sent so far (1..sent); flight: those still in the network.
  sent, flight,
  \* macA, macB: the host claims the guest's MAC (the switch sends its frames there).
  macA, macB,
  \* filterTo: whom A's NIC hands the guest's frames that reach the context: M, O (its next owner), or Hyp (nobody).
  filterTo,
  \* delivered[f]: where frame f was delivered: "A", "B" (to the guest on that host), or "O".
  delivered

vars == <<src, dst, migrating, cancelled, path, unplug, ctx, pending, ownerA, memA, memB, writes,
          logging, dirty, devCopies, directB, sent, flight, macA, macB, filterTo, delivered>>

\* The pages the guest's context on A may still DMA into: all the guest owns there while it
\* is assigned or detached-but-not-stopped, and the in-flight one whoever owns it now.
ReachA ==
  IF ctx \in {"assigned", "unplugged"}
    THEN {p \in APages : ownerA[p] = M} \cup (IF pending = NoPage THEN {} ELSE {pending})
    ELSE {}

TypeOK ==
  /\ src \in {"RUNNING", "STOP", "STOP_COPY_DONE"}
  /\ dst \in {"NONE", "RESUMING", "RUNNING"}
  /\ migrating \in BOOLEAN /\ cancelled \in BOOLEAN
  /\ path \in {"direct", "software", "none"}
  /\ unplug \in {"no", "requested", "done", "failed"}
  /\ ctx \in {"assigned", "unplugged", "stopped", "free", "other"}
  /\ pending \in GPages \cup {NoPage}
  /\ ownerA \in [APages -> {M, O, Hyp}]
  /\ memA \in [GPages -> 0..MaxWrites] /\ memB \in [GPages -> 0..MaxWrites]
  /\ writes \in 0..MaxWrites
  /\ logging \in BOOLEAN /\ dirty \subseteq GPages
  /\ devCopies \in 0..2
  /\ directB \in BOOLEAN
  /\ sent \in 0..MaxFrames /\ flight \subseteq Frames
  /\ macA \in BOOLEAN /\ macB \in BOOLEAN
  /\ filterTo \in {M, O, Hyp}
  /\ delivered \in [Frames -> SUBSET {"A", "B", "O"}]

-----------------------------------------------------------------------------
(* Properties.                                                              *)

\* Every write to a guest page before STOP, by the CPU or by DMA, is in B's copy when the
\* guest runs on B; and nothing writes A's copy after that (it would be lost as well).
NoLostWrite == dst = "RUNNING" => memB = memA

\* The guest never runs on both hosts at once.
NoDoubleRun == ~(src = "RUNNING" /\ dst = "RUNNING")

\* While A reuses the guest's pages, its old context reaches none that is not the guest's.
ContractA == INSTANCE DmaIsolation WITH
  Guests <- {M, O}, Pages <- APages, PageOf <- LAMBDA a : a, Cells <- APages,
  owner <- ownerA, Channels <- {"ctx"}, chanOwner <- [c \in {"ctx"} |-> M],
  posted <- [c \in {"ctx"} |-> ReachA], reach <- [c \in {"ctx"} |-> ReachA]
NoDmaAfterRelease == ContractA!InterGuestIsolation

\* No frame for the guest's MAC is delivered to another guest.
NoMisdelivery == \A f \in Frames : "O" \notin delivered[f]

\* No frame is delivered to the guest twice (on both hosts).
AtMostOnceDelivery == \A f \in Frames : Cardinality(delivered[f] \cap Hosts) <= 1

\* A cancelled migration leaves the guest running on A, alone, with a path for its frames.
CancelSafe ==
  cancelled => /\ src = "RUNNING" /\ dst = "NONE"
               /\ \/ path = "direct" /\ ctx = "assigned"
                  \/ path = "software"

\* Device and ring state are copied exactly once, and only in STOP_COPY.
DeviceStateOnce == /\ devCopies <= 1 /\ (dst # "NONE" => devCopies = 1)

\* Under fairness the migration ends: it is cancelled (the unplug failed, or an error before
\* STOP), or the guest runs on B and A has released its pages.  Cancelling is not fair, so
\* every behaviour in which the unplug succeeds and nobody cancels must complete.
MigrationCompletes == <>(cancelled \/ (dst = "RUNNING" /\ \A p \in GPages : ownerA[p] # M))

-----------------------------------------------------------------------------
Init ==
  /\ src = "RUNNING" /\ dst = "NONE"
  /\ migrating = FALSE /\ cancelled = FALSE
  /\ path = "direct" /\ unplug = "no" /\ ctx = "assigned" /\ pending = NoPage
  /\ ownerA = [p \in APages |-> IF p \in GPages THEN M ELSE Hyp]
  /\ memA = [p \in GPages |-> 0] /\ memB = [p \in GPages |-> 0]
  /\ writes = 0
  /\ logging = FALSE /\ dirty = {}
  /\ devCopies = 0 /\ directB = FALSE
  /\ sent = 0 /\ flight = {}
  /\ macA = TRUE /\ macB = FALSE
  /\ filterTo = M
  /\ delivered = [f \in Frames |-> {}]

\* Stores a new version in guest page p on A; logged if by the CPU, or by DMA with DirtyLogDma.
Write(p, byDma) ==
  /\ writes < MaxWrites
  /\ writes' = writes + 1
  /\ memA' = [memA EXCEPT ![p] = writes + 1]
  /\ dirty' = IF logging /\ (~byDma \/ DirtyLogDma) THEN dirty \cup {p} ELSE dirty

(* The guest and its device on A.                                         *)

\* The guest's vCPU stores into one of its pages.
GuestWrite(p) ==
  /\ src = "RUNNING"
  /\ Write(p, FALSE)
  /\ UNCHANGED <<src, dst, migrating, cancelled, path, unplug, ctx, pending, ownerA, memB,
                 logging, devCopies, directB, sent, flight, macA, macB, filterTo, delivered>>

\* The context's in-flight DMA lands in its page, unless A's IOMMU no longer maps it.
DeviceWrite ==
  /\ pending # NoPage
  /\ ctx \in {"assigned", "unplugged"}
  /\ pending' = NoPage
  /\ IF ownerA[pending] = M THEN Write(pending, TRUE) ELSE UNCHANGED <<writes, memA, dirty>>
  /\ UNCHANGED <<src, dst, migrating, cancelled, path, unplug, ctx, ownerA, memB,
                 logging, devCopies, directB, sent, flight, macA, macB, filterTo, delivered>>

(* The network.                                                           *)

\* A frame for the guest's MAC leaves a peer.
SendFrame ==
  /\ sent < MaxFrames
  /\ sent' = sent + 1
  /\ flight' = flight \cup {sent + 1}
  /\ UNCHANGED <<src, dst, migrating, cancelled, path, unplug, ctx, pending, ownerA, memA, memB,
                 writes, logging, dirty, devCopies, directB, macA, macB, filterTo, delivered>>

\* The network loses a frame (allowed).
DropFrame(f) ==
  /\ f \in flight
  /\ flight' = flight \ {f}
  /\ UNCHANGED <<src, dst, migrating, cancelled, path, unplug, ctx, pending, ownerA, memA, memB,
                 writes, logging, dirty, devCopies, directB, sent, macA, macB, filterTo, delivered>>

\* Frame f reaches A (the switch's table may still point there), and B as well when the switch
\* floods (alsoB).  A's NIC hands it to the context's owner if the filter names one; the
\* guest's own context takes it into an in-flight DMA; the software path copies it in (a CPU
\* write); with no path it is dropped.
Land(f, p, alsoB) ==
  LET toB == IF alsoB THEN {"B"} ELSE {}
  IN /\ f \in flight
     /\ flight' = flight \ {f}
     /\ CASE filterTo = O /\ ctx = "other" ->
               /\ delivered' = [delivered EXCEPT ![f] = @ \cup {"O"} \cup toB]
               /\ UNCHANGED <<pending, writes, memA, dirty>>
          [] path = "direct" /\ ctx = "assigned" /\ src = "RUNNING" /\ pending = NoPage ->
               /\ pending' = p
               /\ delivered' = [delivered EXCEPT ![f] = @ \cup {"A"} \cup toB]
               /\ UNCHANGED <<writes, memA, dirty>>
          [] path = "software" /\ src = "RUNNING" /\ writes < MaxWrites ->
               /\ Write(p, FALSE)
               /\ delivered' = [delivered EXCEPT ![f] = @ \cup {"A"} \cup toB]
               /\ UNCHANGED pending
          [] OTHER ->
               /\ delivered' = [delivered EXCEPT ![f] = @ \cup toB]
               /\ UNCHANGED <<pending, writes, memA, dirty>>
     /\ UNCHANGED <<src, dst, migrating, cancelled, path, unplug, ctx, ownerA, memB,
                    logging, devCopies, directB, sent, macA, macB, filterTo>>

\* Frame f reaches A, into guest page p if the guest takes it there.
LandOnA(f, p) == Land(f, p, FALSE)

\* Frame f reaches B: the guest takes it if it runs there; otherwise it is dropped.
LandOnB(f) ==
  /\ f \in flight
  /\ flight' = flight \ {f}
  /\ delivered' = IF dst = "RUNNING" THEN [delivered EXCEPT ![f] = @ \cup {"B"}] ELSE delivered
  /\ UNCHANGED <<src, dst, migrating, cancelled, path, unplug, ctx, pending, ownerA, memA, memB,
                 writes, logging, dirty, devCopies, directB, sent, macA, macB, filterTo>>

\* While both hosts claim the MAC the switch floods: one frame reaches both, and the guest on B takes it.
Flood(f, p) ==
  /\ macA /\ macB /\ dst = "RUNNING"
  /\ Land(f, p, TRUE)

(* The migration, on A.                                                   *)

\* The migration starts: dirty logging on, every page still to copy.
StartMigration ==
  /\ ~migrating /\ ~cancelled /\ src = "RUNNING"
  /\ migrating' = TRUE
  /\ logging' = TRUE
  /\ dirty' = GPages
  /\ UNCHANGED <<src, dst, cancelled, path, unplug, ctx, pending, ownerA, memA, memB, writes,
                 devCopies, directB, sent, flight, macA, macB, filterTo, delivered>>

\* The guest's frames move to the software path, same MAC (A's NIC hands them to the driver domain).
Failover ==
  /\ migrating /\ path = "direct"
  /\ path' = "software"
  /\ UNCHANGED <<src, dst, migrating, cancelled, unplug, ctx, pending, ownerA, memA, memB, writes,
                 logging, dirty, devCopies, directB, sent, flight, macA, macB, filterTo, delivered>>

\* A asks the guest to detach its direct context (after failing over, unless the design skips it).
RequestUnplug ==
  /\ migrating /\ unplug = "no"
  /\ FailoverBeforeUnplug => path = "software"
  /\ unplug' = "requested"
  /\ UNCHANGED <<src, dst, migrating, cancelled, path, ctx, pending, ownerA, memA, memB, writes,
                 logging, dirty, devCopies, directB, sent, flight, macA, macB, filterTo, delivered>>

\* The guest detaches the context; frames that would have gone to it now have no path.
UnplugDone ==
  /\ unplug = "requested"
  /\ unplug' = "done"
  /\ ctx' = "unplugged"
  /\ path' = IF path = "direct" THEN "none" ELSE path
  /\ UNCHANGED <<src, dst, migrating, cancelled, pending, ownerA, memA, memB, writes,
                 logging, dirty, devCopies, directB, sent, flight, macA, macB, filterTo, delivered>>

\* The migration is given up before STOP (an error, or the operator): A keeps running the guest.
Cancel ==
  /\ migrating /\ src = "RUNNING" /\ dst = "NONE"
  /\ migrating' = FALSE /\ cancelled' = TRUE
  /\ logging' = FALSE /\ dirty' = {}
  /\ UNCHANGED <<src, dst, pending, ownerA, memA, memB, writes, devCopies, directB,
                 sent, flight, macA, macB, filterTo, delivered>>

CancelMigration == MayCancel /\ Cancel /\ UNCHANGED <<unplug, path, ctx>>

\* The guest refuses the unplug: the migration is cancelled and the guest keeps its context.
UnplugFails ==
  /\ MayCancel /\ unplug = "requested"
  /\ unplug' = "failed"
  /\ Cancel
  /\ UNCHANGED <<path, ctx>>

\* A stops the detached context with a reset (its in-flight DMA is dropped) and flushes its mappings.
QuiesceContext ==
  /\ ctx = "unplugged"
  /\ ctx' = "stopped"
  /\ pending' = NoPage
  /\ UNCHANGED <<src, dst, migrating, cancelled, path, unplug, ownerA, memA, memB, writes,
                 logging, dirty, devCopies, directB, sent, flight, macA, macB, filterTo, delivered>>

\* Pre-copy or stop-copy of one dirty page.
CopyPage(p) ==
  /\ migrating /\ p \in dirty /\ src # "STOP_COPY_DONE"
  /\ memB' = [memB EXCEPT ![p] = memA[p]]
  /\ dirty' = dirty \ {p}
  /\ UNCHANGED <<src, dst, migrating, cancelled, path, unplug, ctx, pending, ownerA, memA, writes,
                 logging, devCopies, directB, sent, flight, macA, macB, filterTo, delivered>>

\* STOP: the guest's vCPUs stop; its context is already stopped, so no DMA and no interrupts.
Stop ==
  /\ migrating /\ src = "RUNNING"
  /\ unplug = "done" /\ ctx = "stopped"
  /\ src' = "STOP"
  /\ macA' = FALSE
  /\ UNCHANGED <<dst, migrating, cancelled, path, unplug, ctx, pending, ownerA, memA, memB, writes,
                 logging, dirty, devCopies, directB, sent, flight, macB, filterTo, delivered>>

\* STOP_COPY ends: no page is dirty any more, and the device and ring state go to B once.
StopCopyDone ==
  /\ migrating /\ src = "STOP" /\ dirty = {}
  /\ src' = "STOP_COPY_DONE"
  /\ devCopies' = devCopies + 1
  /\ UNCHANGED <<dst, migrating, cancelled, path, unplug, ctx, pending, ownerA, memA, memB, writes,
                 logging, dirty, directB, sent, flight, macA, macB, filterTo, delivered>>

(* The migration, on B.                                                   *)

\* B loads the guest's state (RESUMING).
Resume ==
  /\ migrating /\ dst = "NONE"
  /\ StopBeforeResume => src # "RUNNING"
  /\ ResumeAfterStopCopy => src # "STOP"
  /\ dst' = "RESUMING"
  /\ devCopies' = IF src = "STOP_COPY_DONE" THEN devCopies ELSE devCopies + 1
  /\ UNCHANGED <<src, migrating, cancelled, path, unplug, ctx, pending, ownerA, memA, memB, writes,
                 logging, dirty, directB, sent, flight, macA, macB, filterTo, delivered>>

\* B gives the guest a CDNA context, if it has CDNA.
AttachDirectB ==
  /\ BHasCdna /\ dst # "NONE" /\ ~directB
  /\ directB' = TRUE
  /\ UNCHANGED <<src, dst, migrating, cancelled, path, unplug, ctx, pending, ownerA, memA, memB,
                 writes, logging, dirty, devCopies, sent, flight, macA, macB, filterTo, delivered>>

\* RUNNING on B: the guest runs, and B announces its MAC.
RunOnB ==
  /\ dst = "RESUMING"
  /\ ResumeWaitsForDirect => directB
  /\ dst' = "RUNNING"
  /\ macB' = TRUE
  /\ UNCHANGED <<src, migrating, cancelled, path, unplug, ctx, pending, ownerA, memA, memB, writes,
                 logging, dirty, devCopies, directB, sent, flight, macA, filterTo, delivered>>

(* Release on A, and the other guest taking what is freed.                *)

\* A frees the guest's pages: once the guest runs on B, and (ReleaseAfterStop) its context is stopped and flushed.
\* The release takes every page, even one a DMA in flight still targets: the layer below is
\* abstracted away here.  The reference implementation's hypervisor refuses to free a page a
\* CDNA descriptor has pinned, and under an IOMMU unmaps a page before freeing it, so on the
\* CDNA and IOMMU baselines releasing before the stop is no foreign DMA (cdna.migration.
\* HostedHandoffTest): for NoDmaAfterRelease this spec over-approximates, and its counterexample
\* is real where the layer lets the page go (no pinning, deferred IOTLB invalidation).  On CDNA
\* the write the pin saves is lost to B instead, which this spec does not show.
ReleasePages ==
  /\ migrating /\ unplug = "done"
  /\ ReleaseAfterStop => ctx \in {"stopped", "free", "other"} /\ dst = "RUNNING"
  /\ \E p \in GPages : ownerA[p] = M
  /\ ownerA' = [p \in APages |-> IF ownerA[p] = M THEN Hyp ELSE ownerA[p]]
  /\ UNCHANGED <<src, dst, migrating, cancelled, path, unplug, ctx, pending, memA, memB, writes,
                 logging, dirty, devCopies, directB, sent, flight, macA, macB, filterTo, delivered>>

\* A frees the stopped context; clearing its MAC filter, or not.
ReleaseContext ==
  /\ ctx = "stopped" /\ dst = "RUNNING"
  /\ ctx' = "free"
  /\ filterTo' = IF ClearMacOnRelease THEN Hyp ELSE filterTo
  /\ UNCHANGED <<src, dst, migrating, cancelled, path, unplug, pending, ownerA, memA, memB, writes,
                 logging, dirty, devCopies, directB, sent, flight, macA, macB, delivered>>

\* The other guest gets the freed context; a filter left in place now hands it the guest's frames.
AssignToOther ==
  /\ ctx = "free"
  /\ ctx' = "other"
  /\ filterTo' = IF filterTo = M THEN O ELSE filterTo
  /\ UNCHANGED <<src, dst, migrating, cancelled, path, unplug, pending, ownerA, memA, memB, writes,
                 logging, dirty, devCopies, directB, sent, flight, macA, macB, delivered>>

\* The other guest takes a free page of A.
OtherTakesPage(p) ==
  /\ ownerA[p] = Hyp
  /\ ownerA' = [ownerA EXCEPT ![p] = O]
  /\ UNCHANGED <<src, dst, migrating, cancelled, path, unplug, ctx, pending, memA, memB, writes,
                 logging, dirty, devCopies, directB, sent, flight, macA, macB, filterTo, delivered>>

-----------------------------------------------------------------------------
\* Every \E ranges over a constant set, so TLC can name each action in its coverage.
Next ==
  \/ \E p \in GPages : GuestWrite(p) \/ CopyPage(p)
  \/ DeviceWrite
  \/ SendFrame
  \/ \E f \in Frames : DropFrame(f) \/ LandOnB(f) \/ \E p \in GPages : LandOnA(f, p) \/ Flood(f, p)
  \/ StartMigration \/ Failover \/ RequestUnplug \/ UnplugDone \/ UnplugFails \/ CancelMigration
  \/ QuiesceContext \/ Stop \/ StopCopyDone
  \/ Resume \/ AttachDirectB \/ RunOnB
  \/ ReleasePages \/ ReleaseContext \/ AssignToOther
  \/ \E p \in APages : OtherTakesPage(p)

Spec == Init /\ [][Next]_vars

\* The migration's own steps are weakly fair (so a requested unplug that is not refused
\* happens); cancelling, the guest, the network and the other guest are not fair.
Fairness ==
  /\ WF_vars(StartMigration) /\ WF_vars(Failover) /\ WF_vars(RequestUnplug) /\ WF_vars(UnplugDone)
  /\ WF_vars(QuiesceContext) /\ WF_vars(\E p \in GPages : CopyPage(p)) /\ WF_vars(Stop)
  /\ WF_vars(StopCopyDone) /\ WF_vars(Resume) /\ WF_vars(AttachDirectB) /\ WF_vars(RunOnB)
  /\ WF_vars(ReleasePages)
FairSpec == Spec /\ Fairness

=============================================================================
