-------------------------- MODULE ContextOwnership --------------------------
(***************************************************************************)
(* Context ownership and interrupt delivery, composed with the DMA         *)
(* protection specs (CdnaProtection for Protection = "software",           *)
(* IommuProtection for "iommu"; the other layer's variables stay put).     *)
(*                                                                         *)
(* The hypervisor assigns contexts to guests and takes them back.  The     *)
(* safe revocation order is a pipeline a context walks through:            *)
(*   assigned -> stopped    no new descriptors or mappings; the outgoing   *)
(*                          guest loses its doorbell and ring mappings;    *)
(*                          its pending interrupt is settled with it       *)
(*            -> quiesced   in-flight DMA drained, or the context reset    *)
(*                          (a function-level reset also drops queued      *)
(*                          descriptors)                                   *)
(*            -> unmapped   its IOMMU mappings removed and the IOTLB       *)
(*                          flushed                                        *)
(*            -> free       its page references dropped                    *)
(*            -> assigned   to another guest                               *)
(* Design switches drop or weaken steps of that order.                     *)
(*                                                                         *)
(* Interrupts: the NIC sets the context's bit in a vector in hypervisor    *)
(* memory and raises one physical interrupt; the hypervisor takes the set  *)
(* bits and clears them, then sends a virtual interrupt to each flagged    *)
(* context's owner.  An MSI is a DMA write to the interrupt address range *)
(* (MsiPages): with interrupt remapping the device can raise only the      *)
(* vectors in its context's remapping entry.  Each guest is granted one    *)
(* vector, named after the guest.                                          *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
  \* Guest virtual machines; each may behave maliciously.
  Guests,
  \* The hypervisor as page owner; it also holds the free pool.
  Hyp,
  \* Number of machine pages (1..NPages).
  NPages,
  \* Bytes per page.
  PageSize,
  \* Longest buffer a guest may ask for, in bytes.
  MaxLen,
  \* Pages the hypervisor keeps for itself (rings, the interrupt vector page, dom0): Hyp's, never a guest's.
  PrivatePages,
  \* The interrupt address range (0xFEExxxxx on x86), among PrivatePages: a DMA write there is an MSI whose data names the vector.
  MsiPages,
  \* NIC contexts.
  Contexts,
  \* The assignments of contexts to guests the model starts from.
  InitCtxOwners,
  \* Descriptor slots per ring, or buffers mapped per context (IOMMU).
  RingSize,
  \* Sequence numbers are counted modulo SeqMod (2 * RingSize).
  SeqMod,
  \* TRUE: model the guest-written doorbell; FALSE: the NIC may fetch at any time.
  ModelDoorbell,
  \* TRUE: under IOMMU protection, track who wrote each slot of a context's guest-written ring (slotOwner), so
  \* NoStaleDma sees descriptors a previous owner left behind; FALSE: the ring is folded into DeviceReach (any IOVA).
  ModelIommuRing,
  \* The requester ID all contexts present when they do not get one each.
  SharedRid,
  \* Stands for "nobody": no guest is owed an interrupt.
  NoGuest,
  \* Design switch: "software" (CDNA layer) or "iommu" (IOMMU layer).
  Protection,
  \* Design switches of the CDNA layer (see CdnaProtection).
  ValidateAllPages, PinPages, SequenceNumbers,
  \* Design switches of the IOMMU layer (see IommuProtection).
  IommuStrategy, Invalidation, FlushBatch, FlushBeforeReuse, RequesterIdPerContext, SubPageBounce,
  \* Design switch: how a stopped context is quiesced: "reset", "drain-all", "drain-inflight" or "none".
  RevokeQuiesce,
  \* Design switch: the IOTLB is flushed when a context's mappings are removed (its domain changes).
  FlushOnDomainChange,
  \* Design switch: an unmapped context's requester ID is put in a quarantine domain that maps nothing (FALSE: back in the hardware domain, whose page table maps PrivatePages).
  QuarantineOnUnmap,
  \* Design switch: the outgoing guest loses its mappings of the context's doorbell and rings on stop.
  UnmapGuestAccessOnStop,
  \* Design switch: the hypervisor takes the set bits and clears them at once (FALSE: clears the vector, then scans).
  ScanBeforeClear,
  \* Design switch: the device's MSIs pass through interrupt remapping.
  InterruptRemapping,
  \* Design switch: a pending interrupt is settled with the owner it was raised under before the context changes hands.
  DeliverToEventOwner,
  \* Design switch: settling sends the outgoing owner a last virtual interrupt (FALSE: c's pending bits are cleared, nothing is sent).
  SettleByVirq

ASSUME Protection \in {"software", "iommu"}
ASSUME PrivatePages \subseteq 1..NPages
ASSUME MsiPages \subseteq PrivatePages
ASSUME RevokeQuiesce \in {"reset", "drain-all", "drain-inflight", "none"}
\* Reassignment is modelled for single-use mappings: the other strategies derive their mappings from ownership.
ASSUME Protection = "iommu" => IommuStrategy = "single-use"

VARIABLES
  \* owner[p]: who owns machine page p now (a guest, or Hyp).
  owner,
  \* ctxOwner[c]: the guest the hypervisor has c assigned to (its last owner while c is being revoked or free).
  ctxOwner,
  \* CDNA layer: descriptor rings, written only by the hypervisor.
  ring,
  \* CDNA layer: next sequence number the hypervisor gives out per context.
  prod,
  \* CDNA layer: oldest descriptor whose completion the hypervisor has not noticed.
  reaped,
  \* CDNA layer: the descriptor the NIC fetches or works on next.
  nicNext,
  \* CDNA layer: the guest-written doorbell.
  doorbell,
  \* CDNA layer: the NIC's DMA engine per context.
  engine,
  \* IOMMU layer: buffers mapped for DMA per context.
  posted,
  \* IOMMU layer: mappings the persistent strategy keeps (unused here: single-use).
  persist,
  \* IOMMU layer: translations left in the IOTLB after their mappings went.
  iotlb,
  \* IOMMU layer: unmaps since the last flush.
  unflushed,
  \* phase[c]: where c is in the assign/revoke pipeline.
  phase,
  \* holders[c]: guests that can drive c (have its doorbell and rings mapped).
  holders,
  \* slotOwner[c][i]: the guest c belonged to when slot i was written (ghost, for NoStaleDma); with
  \* ModelIommuRing under IOMMU protection: the guest that wrote slot i itself, NoGuest while it is empty.
  slotOwner,
  \* engineOwner[c]: the guest whose descriptor the engine works on (ghost).
  engineOwner,
  \* irte[c]: vectors c's interrupt remapping entry lets the device raise.
  irte,
  \* vector: contexts whose bit is set in the interrupt vector in hypervisor memory.
  vector,
  \* physIrq: the NIC's physical interrupt is pending at the hypervisor.
  physIrq,
  \* taken: contexts whose bit the hypervisor has taken and not yet turned into a virtual interrupt.
  taken,
  \* scanDue: the vector was cleared and not yet scanned (only when ScanBeforeClear is FALSE).
  scanDue,
  \* owedTo[c]: the guest owed a virtual interrupt for c's undelivered event, or NoGuest (ghost).
  owedTo

cdnaVars == <<ring, prod, reaped, nicNext, doorbell, engine>>
iommuVars == <<posted, persist, iotlb, unflushed>>
ownVars == <<phase, holders, slotOwner, engineOwner, irte>>
irqVars == <<vector, physIrq, taken, scanDue, owedTo>>
vars == <<owner, ctxOwner, cdnaVars, iommuVars, ownVars, irqVars>>

\* The enqueue hypercall is one atomic step here (CdnaProtection's HypercallWindow models the
\* check/pin window on its own models), so no hypercall is ever in progress; and pins are
\* counted (CdnaProtection's CountPins = FALSE models the pinned-bit design), so no bits are kept.
Cdna == INSTANCE CdnaProtection
          WITH HypercallWindow <- FALSE, PinAtValidation <- TRUE, CountPins <- TRUE,
               call <- [c \in Contexts |-> [addr |-> 0, len |-> 0]],
               pinBit <- [p \in 1..NPages |-> FALSE]
\* No sliced pages here: every page has one owner (IommuProtection's sliced-page models cover them).
Iommu == INSTANCE IommuProtection WITH Pages <- 1..NPages, SlicedPages <- {}, SliceOwner <- Hyp

Pages == 1..NPages
Software == Protection = "software"
\* The guest-written ring of an IOMMU-protected context is modelled (ModelIommuRing).
IommuRing == ~Software /\ ModelIommuRing
Phases == {"assigned", "stopped", "quiesced", "unmapped", "free"}

\* The pages a guest can be given: all but the hypervisor's own.
GuestPages == Pages \ PrivatePages

\* Without quarantine, a context whose mappings are gone presents its requester ID to the
\* hardware domain until it is assigned again (XSA-302), and so does every context sharing it.
InHardwareDomain(c) ==
  /\ ~Software
  /\ ~QuarantineOnUnmap
  /\ \E x \in Contexts : Iommu!Dom(x) = Iommu!Dom(c) /\ phase[x] \in {"unmapped", "free"}

\* The cells the device can still touch for c, in the layer in use; the hardware domain maps the private pages.
DeviceReach(c) ==
  IF Software THEN Cdna!DeviceReach(c)
  ELSE Iommu!DeviceReach(c)
         \cup (IF InHardwareDomain(c) THEN {a \in Iommu!Cells : Iommu!PageOf(a) \in PrivatePages} ELSE {})
PostedCells(c) == IF Software THEN Cdna!PostedCells(c) ELSE Iommu!PostedCells(c)
Cells == IF Software THEN Cdna!Cells ELSE Iommu!Cells
PageOf(a) == IF Software THEN Cdna!PageOf(a) ELSE Iommu!PageOf(a)

\* The guests whose descriptors the NIC can still process for c.  CDNA layer: the fetchable slots and
\* the engine.  IOMMU layer with ModelIommuRing: every written slot, since the guest driving the ring
\* moves its tail and the NIC fetches whatever lies below it; a function-level reset empties the ring.
IssuersInReach(c) ==
  IF Software
    THEN {slotOwner[c][i] : i \in {j \in 0..RingSize-1 : ring[c][j] # Cdna!NoDesc /\ ring[c][j] \in Cdna!FetchableDescs(c)}}
           \cup (IF engine[c] = Cdna!Idle THEN {} ELSE {engineOwner[c]})
  ELSE IF IommuRing THEN {slotOwner[c][i] : i \in 0..RingSize-1} \ {NoGuest}
  ELSE {}

\* The vectors c's device can raise with an MSI, a DMA write to the interrupt address range.
\* Through an IOMMU that range bypasses the page tables, so a guest driving its device
\* directly can write any MSI and only interrupt remapping stops it.  Under software
\* protection the guest moves the NIC only through validated descriptors: the NIC raises
\* the vector the hypervisor programmed for c (irte[c]), and any vector at all once c's
\* device can write into the interrupt range, since the bytes written are the guest's.
CanRaise(c) ==
  IF InterruptRemapping THEN irte[c]
  ELSE IF ~Software THEN Guests
  ELSE irte[c] \cup (IF \E a \in DeviceReach(c) : PageOf(a) \in MsiPages THEN Guests ELSE {})

TypeOK ==
  /\ phase \in [Contexts -> Phases]
  /\ holders \in [Contexts -> SUBSET Guests]
  /\ slotOwner \in [Contexts -> [0..RingSize-1 -> Guests \cup {NoGuest}]]
  /\ engineOwner \in [Contexts -> Guests]
  /\ irte \in [Contexts -> SUBSET Guests]
  /\ vector \subseteq Contexts
  /\ physIrq \in BOOLEAN
  /\ taken \subseteq Contexts
  /\ scanDue \in BOOLEAN
  /\ owedTo \in [Contexts -> Guests \cup {NoGuest}]
  /\ IF Software THEN Cdna!TypeOK ELSE Iommu!TypeOK

-----------------------------------------------------------------------------
(* Properties.                                                              *)

\* A context has at most one owner: only one guest can drive it.
SingleOwner == \A c \in Contexts : Cardinality(holders[c]) <= 1

\* Nothing issued under a previous owner is performed after revocation: once a
\* context's mappings are gone the device can touch nothing for it, and once it
\* is reassigned every descriptor the NIC can still process was issued by the new owner.
NoStaleDma ==
  \A c \in Contexts :
    /\ phase[c] \in {"unmapped", "free"} => DeviceReach(c) = {}
    /\ phase[c] = "assigned" => IssuersInReach(c) \subseteq {ctxOwner[c]}

\* A pending event of c is delivered to the guest that owned c when it happened:
\* the virtual interrupt goes to the current owner, so a pending event must not
\* be owed to anyone else.
NoMisdirectedInterrupt ==
  \A c \in vector \cup taken : owedTo[c] \in {ctxOwner[c], NoGuest}

\* A device cannot raise a vector its context's owner was not granted.
NoInjectedInterrupt ==
  \A c \in Contexts : phase[c] = "assigned" => CanRaise(c) \subseteq {ctxOwner[c]}

\* Every event raised for c while g owns it is eventually delivered to g, unless g gives c up first.
NoLostInterrupt ==
  \A c \in Contexts, g \in Guests : (owedTo[c] = g) ~> (owedTo[c] # g)

\* The abstract contract with channel owners changing: isolation, as in the layer specs,
\* with reassignment in the picture.
Contract == INSTANCE DmaIsolation WITH
  Channels <- Contexts, chanOwner <- ctxOwner,
  posted <- [c \in Contexts |-> PostedCells(c)],
  reach <- [c \in Contexts |-> DeviceReach(c)]

InterGuestIsolation == Contract!InterGuestIsolation

IntraGuestProtection == Contract!IntraGuestProtection

-----------------------------------------------------------------------------
Init ==
  /\ IF Software THEN Cdna!Init ELSE Iommu!Init
  /\ \* the layer not in use starts empty and never changes
     IF Software
       THEN /\ posted = [c \in Contexts |-> {}] /\ persist = [d \in Iommu!Domains |-> {}]
            /\ iotlb = [d \in Iommu!Domains |-> {}] /\ unflushed = 0
       ELSE /\ ring = [c \in Contexts |-> [i \in 0..RingSize-1 |-> Cdna!NoDesc]]
            /\ prod = [c \in Contexts |-> 0] /\ reaped = [c \in Contexts |-> 0]
            /\ nicNext = [c \in Contexts |-> 0] /\ doorbell = [c \in Contexts |-> 0]
            /\ engine = [c \in Contexts |-> Cdna!Idle]
  /\ phase = [c \in Contexts |-> "assigned"]
  /\ holders = [c \in Contexts |-> {ctxOwner[c]}]
  /\ slotOwner = [c \in Contexts |-> [i \in 0..RingSize-1 |-> IF IommuRing THEN NoGuest ELSE ctxOwner[c]]]
  /\ engineOwner = ctxOwner
  /\ irte = [c \in Contexts |-> {ctxOwner[c]}]
  /\ vector = {}
  /\ physIrq = FALSE
  /\ taken = {}
  /\ scanDue = FALSE
  /\ owedTo = [c \in Contexts |-> NoGuest]

(* The DMA layer's own actions, restricted by the ownership protocol.      *)

\* Guest memory management, in the layer in use.
MemoryStep ==
  /\ IF Software
       THEN /\ \/ \E g \in Guests, p \in GuestPages : Cdna!AllocatePage(g, p)
               \/ \E g \in Guests, p \in Pages : Cdna!FreePage(g, p)
               \/ \E g, h \in Guests, p \in Pages : Cdna!TransferPage(g, h, p)
            /\ UNCHANGED iommuVars
       ELSE /\ \/ \E g \in Guests, p \in GuestPages : Iommu!AllocatePage(g, p)
               \/ \E g \in Guests, p \in Pages : Iommu!FreePage(g, p)
               \/ \E g, h \in Guests, p \in Pages : Iommu!TransferPage(g, h, p)
            /\ UNCHANGED cdnaVars
  /\ UNCHANGED <<ownVars, irqVars>>

\* Only an assigned context takes new descriptors; the slot remembers who issued it.
PostDescriptor(c, b) ==
  /\ Software
  /\ phase[c] = "assigned"
  /\ Cdna!PostDescriptor(c, b)
  /\ slotOwner' = [slotOwner EXCEPT ![c][Cdna!Slot(prod[c])] = ctxOwner[c]]
  /\ UNCHANGED <<iommuVars, phase, holders, engineOwner, irte, irqVars>>

\* Any guest that still holds c's doorbell mapping can write it.
RingDoorbell(c, v) ==
  /\ Software
  /\ holders[c] # {}
  /\ Cdna!RingDoorbell(c, v)
  /\ UNCHANGED <<iommuVars, ownVars, irqVars>>

\* The NIC fetches whatever the ring holds, whoever issued it.
NicFetch(c) ==
  /\ Software
  /\ Cdna!NicFetch(c)
  /\ engineOwner' = [engineOwner EXCEPT ![c] = slotOwner[c][Cdna!Slot(nicNext[c])]]
  /\ UNCHANGED <<iommuVars, phase, holders, slotOwner, irte, irqVars>>

NicDma(c) ==
  /\ Software
  /\ Cdna!NicDma(c)
  /\ UNCHANGED <<iommuVars, ownVars, irqVars>>

ReapCompletions(c) ==
  /\ Software
  /\ Cdna!ReapCompletions(c)
  /\ UNCHANGED <<iommuVars, ownVars, irqVars>>

\* Under IOMMU protection guest g, holding c's ring, writes slot i itself: any IOVA, untrusted.
WriteDescriptor(c, i, g) ==
  /\ IommuRing
  /\ g \in holders[c]
  /\ slotOwner' = [slotOwner EXCEPT ![c][i] = g]
  /\ UNCHANGED <<owner, ctxOwner, cdnaVars, iommuVars, phase, holders, engineOwner, irte, irqVars>>

\* Only an assigned context gets new mappings.
MapBuffer(c, b) ==
  /\ ~Software
  /\ phase[c] = "assigned"
  /\ Iommu!MapBuffer(c, b)
  /\ UNCHANGED <<cdnaVars, ownVars, irqVars>>

UnmapBuffer(c, b) ==
  /\ ~Software
  /\ Iommu!UnmapBuffer(c, b)
  /\ UNCHANGED <<cdnaVars, ownVars, irqVars>>

FlushIotlb ==
  /\ ~Software
  /\ Iommu!FlushIotlb
  /\ UNCHANGED <<cdnaVars, ownVars, irqVars>>

(* Revocation and assignment.                                              *)

\* Stop c: no new work; the outgoing guest loses its mappings of c; its pending interrupt is settled with it.
StopContext(c) ==
  /\ phase[c] = "assigned"
  /\ phase' = [phase EXCEPT ![c] = "stopped"]
  /\ holders' = IF UnmapGuestAccessOnStop THEN [holders EXCEPT ![c] = {}] ELSE holders
  /\ IF DeliverToEventOwner
       THEN /\ vector' = vector \ {c}
            /\ taken' = taken \ {c}
            \* The last virtual interrupt goes to ctxOwner[c], still the outgoing owner: it settles the
            \* debt.  Clearing the bits without it leaves the debt owed, and nothing will settle it.
            /\ owedTo' = IF SettleByVirq THEN [owedTo EXCEPT ![c] = NoGuest] ELSE owedTo
       ELSE UNCHANGED <<vector, taken, owedTo>>
  /\ UNCHANGED <<owner, ctxOwner, cdnaVars, iommuVars, slotOwner, engineOwner, irte, physIrq, scanDue>>

\* Quiesce c: reset it (drops in-flight and queued work), or wait until the NIC has drained it.
QuiesceContext(c) ==
  /\ phase[c] = "stopped"
  /\ phase' = [phase EXCEPT ![c] = "quiesced"]
  /\ CASE RevokeQuiesce = "reset" /\ Software ->
            /\ ring' = [ring EXCEPT ![c] = [i \in 0..RingSize-1 |-> Cdna!NoDesc]]
            /\ engine' = [engine EXCEPT ![c] = Cdna!Idle]
            /\ nicNext' = [nicNext EXCEPT ![c] = prod[c]]
            /\ doorbell' = [doorbell EXCEPT ![c] = IF ModelDoorbell THEN prod[c] ELSE 0]
            /\ UNCHANGED <<prod, reaped>>
       [] RevokeQuiesce = "drain-all" /\ Software ->
            /\ engine[c] = Cdna!Idle
            /\ nicNext[c] = prod[c]
            /\ UNCHANGED cdnaVars
       [] RevokeQuiesce = "drain-inflight" /\ Software ->
            /\ engine[c] = Cdna!Idle
            /\ UNCHANGED cdnaVars
       [] OTHER -> UNCHANGED cdnaVars
  \* A function-level reset also empties a guest-written ring (IOMMU layer).
  /\ slotOwner' = IF IommuRing /\ RevokeQuiesce = "reset"
                   THEN [slotOwner EXCEPT ![c] = [i \in 0..RingSize-1 |-> NoGuest]]
                   ELSE slotOwner
  /\ UNCHANGED <<owner, ctxOwner, iommuVars, holders, engineOwner, irte, irqVars>>

\* Remove c's IOMMU mappings; the IOTLB is flushed, or keeps the translations (FlushOnDomainChange FALSE).
UnmapContext(c) ==
  /\ phase[c] = "quiesced"
  /\ phase' = [phase EXCEPT ![c] = "unmapped"]
  /\ IF Software
       THEN UNCHANGED iommuVars
       ELSE LET d == Iommu!Dom(c)
                gone == UNION {Iommu!MapOf(b) : b \in posted[c]}
            IN /\ posted' = [posted EXCEPT ![c] = {}]
               /\ UNCHANGED persist
               /\ IF FlushOnDomainChange
                    THEN /\ iotlb' = [x \in DOMAIN iotlb |-> {}]
                         /\ unflushed' = 0
                    ELSE /\ iotlb' = [iotlb EXCEPT ![d] = @ \cup gone]
                         /\ UNCHANGED unflushed
  /\ UNCHANGED <<owner, ctxOwner, cdnaVars, holders, slotOwner, engineOwner, irte, irqVars>>

\* Drop the page references c's descriptors hold.
UnpinContext(c) ==
  /\ phase[c] = "unmapped"
  /\ phase' = [phase EXCEPT ![c] = "free"]
  /\ IF Software THEN reaped' = [reaped EXCEPT ![c] = prod[c]] ELSE UNCHANGED reaped
  /\ UNCHANGED <<owner, ctxOwner, ring, prod, nicNext, doorbell, engine, iommuVars,
                 holders, slotOwner, engineOwner, irte, irqVars>>

\* Give free context c to guest g (another guest than its last owner).
AssignContext(c, g) ==
  /\ phase[c] = "free"
  /\ g # ctxOwner[c]
  /\ ctxOwner' = [ctxOwner EXCEPT ![c] = g]
  /\ phase' = [phase EXCEPT ![c] = "assigned"]
  /\ holders' = [holders EXCEPT ![c] = @ \cup {g}]
  /\ irte' = [irte EXCEPT ![c] = {g}]
  /\ UNCHANGED <<owner, cdnaVars, iommuVars, slotOwner, engineOwner, irqVars>>

(* Interrupts.                                                             *)

\* The NIC flags an event of c in the vector and raises the physical interrupt.
NicRaise(c) ==
  /\ phase[c] = "assigned"    \* stopping a context masks its interrupt source
  /\ c \notin vector
  /\ vector' = vector \cup {c}
  /\ physIrq' = TRUE
  /\ owedTo' = [owedTo EXCEPT ![c] = IF @ = NoGuest THEN ctxOwner[c] ELSE @]
  /\ UNCHANGED <<owner, ctxOwner, cdnaVars, iommuVars, ownVars, taken, scanDue>>

\* The hypervisor takes the physical interrupt: it takes the set bits and clears exactly those.
HandleInterrupt ==
  /\ ScanBeforeClear
  /\ physIrq
  /\ physIrq' = FALSE
  /\ taken' = taken \cup vector
  /\ vector' = {}
  /\ UNCHANGED <<owner, ctxOwner, cdnaVars, iommuVars, ownVars, scanDue, owedTo>>

\* Known bad order: clear the vector first...
ClearVector ==
  /\ ~ScanBeforeClear
  /\ physIrq
  /\ physIrq' = FALSE
  /\ vector' = {}
  /\ scanDue' = TRUE
  /\ UNCHANGED <<owner, ctxOwner, cdnaVars, iommuVars, ownVars, taken, owedTo>>

\* ...then scan it: only bits set since the clear are seen.
ScanVector ==
  /\ scanDue
  /\ scanDue' = FALSE
  /\ taken' = taken \cup vector
  /\ vector' = {}
  /\ UNCHANGED <<owner, ctxOwner, cdnaVars, iommuVars, ownVars, physIrq, owedTo>>

\* The hypervisor sends c's virtual interrupt to c's current owner.  The guest's
\* handler then processes every completion of c, so the virtual interrupt settles
\* every event raised so far, including one whose bit was set again meanwhile.
DeliverVirq(c) ==
  /\ c \in taken
  /\ taken' = taken \ {c}
  /\ owedTo' = [owedTo EXCEPT ![c] = IF @ = ctxOwner[c] THEN NoGuest ELSE @]
  /\ UNCHANGED <<owner, ctxOwner, cdnaVars, iommuVars, ownVars, vector, physIrq, scanDue>>

-----------------------------------------------------------------------------
\* The data path: guest memory management, descriptors and mappings, the NIC's DMA.
\* Every \E ranges over a constant set, so TLC can name each action in its coverage.
DataPathStep ==
  \/ MemoryStep
  \/ \E c \in Contexts :
       \/ \E b \in Cdna!Buffers : PostDescriptor(c, b)
       \/ \E v \in 0..SeqMod-1 : RingDoorbell(c, v)
       \/ NicFetch(c) \/ NicDma(c) \/ ReapCompletions(c)
       \/ \E i \in 0..RingSize-1, g \in Guests : WriteDescriptor(c, i, g)
       \/ \E b \in Iommu!Buffers : MapBuffer(c, b)
       \/ \E b \in Iommu!Buffers : UnmapBuffer(c, b)
  \/ FlushIotlb

\* The assign/revoke pipeline, shared by both halves.
PipelineStep ==
  \E c \in Contexts :
    \/ StopContext(c) \/ QuiesceContext(c) \/ UnmapContext(c) \/ UnpinContext(c)
    \/ \E g \in Guests : AssignContext(c, g)

\* The interrupt path.
InterruptStep ==
  \/ \E c \in Contexts : NicRaise(c) \/ DeliverVirq(c)
  \/ HandleInterrupt \/ ClearVector \/ ScanVector

Next == DataPathStep \/ PipelineStep \/ InterruptStep

\* The hypervisor's interrupt path is weakly fair; guests, the NIC's events and revocation are not.
Fairness ==
  /\ WF_vars(HandleInterrupt) /\ WF_vars(ClearVector) /\ WF_vars(ScanVector)
  /\ \A c \in Contexts : WF_vars(DeliverVirq(c))

Spec == Init /\ [][Next]_vars
FairSpec == Spec /\ Fairness

\* The two halves of the composition, for checking each against its own properties.
\* The data path and the interrupt path share only the pipeline's variables (and
\* owner, ctxOwner, which the interrupt path reads): no data-path action reads or
\* writes irqVars, no interrupt action reads or writes the layers' variables, and
\* the only pipeline guard on the other half is QuiesceContext's wait for the
\* NIC to drain.  So every behaviour of Spec, projected on the variables a
\* property mentions, is a behaviour of the half that property belongs to (with
\* QuiesceContext always enabled in InterruptSpec, where the layers stay idle:
\* draining may finish at any moment).  The properties split the same way:
\* NoStaleDma, InterGuestIsolation and IntraGuestProtection read no interrupt
\* variable; NoMisdirectedInterrupt and NoLostInterrupt read none of the layers';
\* SingleOwner reads only holders.  NoInjectedInterrupt reads both: irte (the
\* interrupt half) and, under software protection without remapping, the
\* device's reach into MsiPages (the data path, where InterruptSpec keeps the
\* layers idle).  So it is checked on both halves: on the interrupt models for
\* remapping, and on models running the data path for the MSI written by DMA.
\* The weak fairness conditions are on interrupt actions, whose enabledness
\* depends on irqVars alone, so the projection of a fair behaviour is fair.
DataPathSpec == Init /\ [][DataPathStep \/ PipelineStep]_vars
InterruptSpec == Init /\ [][PipelineStep \/ InterruptStep]_vars
FairInterruptSpec == InterruptSpec /\ Fairness

\* The premise of checking each half on its own, as a property of every step of
\* Spec: a data-path step leaves the interrupt path's variables alone, and an
\* interrupt step leaves the layers' alone.  (That neither reads the other's
\* variables is plain from the actions; a change that writes across fails here.)
HalvesApart ==
  [][/\ DataPathStep => UNCHANGED irqVars
     /\ InterruptStep => UNCHANGED <<cdnaVars, iommuVars>>]_vars

=============================================================================
