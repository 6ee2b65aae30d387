--------------------------- MODULE CdnaProtection ---------------------------
(***************************************************************************)
(* CDNA software DMA protection (no IOMMU).                                *)
(*                                                                         *)
(* A guest never writes DMA descriptors itself.  It asks the hypervisor to *)
(* enqueue a buffer (start byte, length; it may cross into the next        *)
(* machine page).  The hypervisor checks that the guest owns every page    *)
(* the buffer touches, holds a reference (pin) on those pages while the    *)
(* descriptor is outstanding, and writes the descriptor, tagged with a     *)
(* per-context sequence number, into a ring the guest can read but not     *)
(* write.  The guest then rings a doorbell it fully controls.  The NIC     *)
(* fetches the next descriptor and moves data one page segment per step;   *)
(* it accepts a descriptor only if its sequence number is the one it       *)
(* expects.  The hypervisor later notices completions and drops the pins   *)
(* (lazily: late is fine, early is not).  Guests may free or transfer any  *)
(* of their pages at any moment; the hypervisor refuses while pinned.      *)
(* With HypercallWindow the enqueue hypercall is two steps (check; pin and *)
(* write) and the guest's other vCPUs may act in between.                  *)
(*                                                                         *)
(* Every guest here may be malicious: it may ask for any buffer, ring any  *)
(* doorbell value, and give pages away at any time.  Honest behaviour is a *)
(* subset of that.                                                         *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
  \* Guest virtual machines; each may behave maliciously.
  Guests,
  \* The hypervisor as page owner; it also holds the free pool.
  Hyp,
  \* Number of machine pages, numbered 1..NPages: order matters, a buffer spills into the next page.
  NPages,
  \* Bytes per page; memory is modelled byte by byte ("cells").
  PageSize,
  \* Longest buffer a guest may ask for, in bytes.
  MaxLen,
  \* NIC contexts.
  Contexts,
  \* The assignments of contexts to guests the model starts from (ContextOwnership makes them change).
  InitCtxOwners,
  \* Descriptor slots in each context's ring: the most descriptors in flight per context.
  RingSize,
  \* Sequence numbers and ring positions are counted modulo SeqMod; 2 * RingSize tells a stale slot from a fresh one.
  SeqMod,
  \* TRUE: model the guest-written doorbell; FALSE: over-approximate it by letting the NIC fetch at any time.
  ModelDoorbell,
  \* Design switch: validate every page a buffer touches (FALSE: only its first page).
  ValidateAllPages,
  \* Design switch: pin a buffer's pages while its descriptor is outstanding.
  PinPages,
  \* Design switch: tag descriptors with sequence numbers the NIC checks.
  SequenceNumbers,
  \* TRUE: the enqueue hypercall is two steps (check, then pin and write) that guest steps can fall between; FALSE: one atomic step.
  HypercallWindow,
  \* Design switch: take each page's pin in the step that checks its owner (FALSE: check all pages, pin them in a later step).
  PinAtValidation,
  \* Design switch: count each page's pins (FALSE: one pinned bit per page, which the first completion on the page clears).
  CountPins

ASSUME SeqMod % RingSize = 0 /\ SeqMod >= 2 * RingSize

VARIABLES
  \* owner[p]: who owns machine page p now (a guest, or Hyp).
  owner,
  \* ctxOwner[c]: the guest context c is assigned to (unchanged by this module's actions).
  ctxOwner,
  \* ring[c][i]: descriptor in slot i of c's ring; only the hypervisor writes it.
  ring,
  \* prod[c]: sequence number the hypervisor gives the next descriptor it accepts for c.
  prod,
  \* reaped[c]: oldest descriptor whose completion the hypervisor has not yet noticed; pins cover [reaped, prod).
  reaped,
  \* nicNext[c]: sequence number of the descriptor the NIC fetches or works on next for c.
  nicNext,
  \* doorbell[c]: producer index last written by c's guest; untrusted (stays 0 when not modelled).
  doorbell,
  \* engine[c]: the descriptor copy the NIC's DMA engine works on for c, and bytes moved so far.
  engine,
  \* call[c]: the buffer of c's enqueue hypercall, checked and not yet written (NoCall: none; only with HypercallWindow).
  call,
  \* pinBit[p]: page p's pinned bit, the hypervisor's only record of its pins when they are not counted (all FALSE if CountPins).
  pinBit

\* Hardware state, hypervisor state, and guest-controlled state, as in the Java twin.
nicVars == <<nicNext, engine>>
hypVars == <<owner, ctxOwner, ring, prod, reaped, call, pinBit>>
vars == <<owner, ctxOwner, ring, prod, reaped, nicNext, doorbell, engine, call, pinBit>>

Owners == Guests \cup {Hyp}
Pages == 1..NPages
Cells == 0..(NPages * PageSize - 1)
PageOf(a) == a \div PageSize + 1

\* A buffer a guest may ask for: it must lie inside memory (the Java twin also rejects the rest).
Buffers == {b \in [addr : Cells, len : 1..MaxLen] : b.addr + b.len <= NPages * PageSize}
\* The cells of a descriptor or buffer.  Every descriptor lies inside memory (Buffers, Descs,
\* TypeOK), so this interval equals {a \in Cells : d.addr <= a < d.addr + d.len}; TLC builds it
\* without scanning all of Cells, which made the refinement check 1.6x faster.
CellsOf(d) == d.addr .. (d.addr + d.len - 1)
PagesOf(d) == {PageOf(a) : a \in CellsOf(d)}

\* An empty ring slot, and an idle DMA engine.  seq = SeqMod never matches.
NoDesc == [addr |-> 0, len |-> 0, seq |-> SeqMod]
Descs == {[addr |-> b.addr, len |-> b.len, seq |-> s] : b \in Buffers, s \in 0..SeqMod-1} \cup {NoDesc}
Idle == [desc |-> NoDesc, moved |-> 0]
\* No enqueue hypercall in progress.
NoCall == [addr |-> 0, len |-> 0]

Slot(s) == s % RingSize
Succ(s) == (s + 1) % SeqMod
InFlight(c) == (prod[c] - reaped[c]) % SeqMod
Outstanding(c) == {(reaped[c] + i) % SeqMod : i \in 0..InFlight(c) - 1}
OutstandingDescs(c) == {ring[c][Slot(s)] : s \in Outstanding(c)}

\* Buffers of hypercalls in progress whose pages are already pinned (PinAtValidation pins as it checks).
PinnedCalls == IF PinAtValidation THEN {call[c] : c \in {x \in Contexts : call[x] # NoCall}} ELSE {}

\* Pages the hypervisor holds a reference on.  Counted pins go exactly when the last buffer on
\* the page is retired, so a page is pinned iff a pinning buffer covers it; a bit goes at the
\* first completion on the page, whatever else is still outstanding there.
Pinned ==
  IF CountPins
    THEN UNION {PagesOf(d) : d \in UNION {OutstandingDescs(c) : c \in Contexts} \cup PinnedCalls}
    ELSE {p \in Pages : pinBit[p]}

\* The pinned bits after buffer b's pages are pinned, and after descriptor d's are released (no bits when counted).
SetBits(b) == IF CountPins \/ ~PinPages THEN pinBit ELSE [p \in Pages |-> pinBit[p] \/ p \in PagesOf(b)]
ClearBits(d) == IF CountPins \/ ~PinPages THEN pinBit ELSE [p \in Pages |-> pinBit[p] /\ p \notin PagesOf(d)]

\* Cells of the buffers the guest of c has posted and not yet had retired.
PostedCells(c) == UNION {CellsOf(d) : d \in OutstandingDescs(c)}

\* Descriptors the NIC can still fetch for c with no help from the hypervisor.
\* With sequence numbers: the outstanding ones it has not started.  Without:
\* every slot, because the guest can ring any doorbell value and the NIC
\* walks the ring, replaying stale slots.
FetchableDescs(c) ==
  IF SequenceNumbers
    THEN LET first == IF engine[c] = Idle THEN 0 ELSE 1
             ahead == (prod[c] - nicNext[c]) % SeqMod
         IN {ring[c][Slot((nicNext[c] + i) % SeqMod)] : i \in first..(ahead - 1)}
    ELSE {ring[c][i] : i \in 0..RingSize-1}

\* Every cell the NIC can touch for c from now on, with no further step by the
\* hypervisor: the rest of the engine's descriptor and everything it can fetch.
\* NIC steps only shrink it, so a bad access happens in some behaviour iff some
\* reachable state has a bad cell here.
DeviceReach(c) ==
  LET e == engine[c] IN
  {a \in CellsOf(e.desc) : a >= e.desc.addr + e.moved}
    \cup UNION {CellsOf(d) : d \in FetchableDescs(c)}

\* The page segment the engine moves in its next DMA step.
NextSegment(c) ==
  LET e == engine[c]
      start == e.desc.addr + e.moved
      pageEnd == (PageOf(start)) * PageSize
  IN (IF pageEnd < e.desc.addr + e.desc.len THEN pageEnd ELSE e.desc.addr + e.desc.len) - start

TypeOK ==
  /\ owner \in [Pages -> Owners]
  /\ ctxOwner \in [Contexts -> Guests]
  /\ ring \in [Contexts -> [0..RingSize-1 -> Descs]]
  /\ prod \in [Contexts -> 0..SeqMod-1]
  /\ reaped \in [Contexts -> 0..SeqMod-1]
  /\ nicNext \in [Contexts -> 0..SeqMod-1]
  /\ doorbell \in [Contexts -> 0..SeqMod-1]
  /\ engine \in [Contexts -> [desc : Descs, moved : 0..MaxLen]]
  /\ call \in [Contexts -> Buffers \cup {NoCall}]
  /\ pinBit \in [Pages -> BOOLEAN]

-----------------------------------------------------------------------------
(* Properties (same names as in DmaIsolation and in the Java checker).     *)

\* The abstract contract (specs/DmaIsolation.tla) seen through this design: its two
\* properties, applied to this design's owners, postings and device reach, are the
\* properties below, so there is one definition of each (docs/models.md says why
\* checking them is all a refinement check of the contract would add).
Contract ==
  INSTANCE DmaIsolation WITH
    Pages <- Pages, Channels <- Contexts, Cells <- Cells, PageOf <- PageOf,
    owner <- owner, chanOwner <- ctxOwner,
    posted <- [c \in Contexts |-> PostedCells(c)],
    reach <- [c \in Contexts |-> DeviceReach(c)]

\* Every DMA the NIC will make for c's guest hits a page that guest owns now.
InterGuestIsolation == Contract!InterGuestIsolation

\* The NIC touches only bytes of buffers c's guest currently has posted.
IntraGuestProtection == Contract!IntraGuestProtection

-----------------------------------------------------------------------------
Init ==
  /\ owner = [p \in Pages |-> Hyp]
  /\ ctxOwner \in InitCtxOwners
  /\ ring = [c \in Contexts |-> [i \in 0..RingSize-1 |-> NoDesc]]
  /\ prod = [c \in Contexts |-> 0]
  /\ reaped = [c \in Contexts |-> 0]
  /\ nicNext = [c \in Contexts |-> 0]
  /\ doorbell = [c \in Contexts |-> 0]
  /\ engine = [c \in Contexts |-> Idle]
  /\ call = [c \in Contexts |-> NoCall]
  /\ pinBit = [p \in Pages |-> FALSE]

(* Guest memory management, done by the hypervisor on a guest's request.   *)

\* The hypervisor gives free page p to guest g.
AllocatePage(g, p) ==
  /\ owner[p] = Hyp
  /\ owner' = [owner EXCEPT ![p] = g]
  /\ UNCHANGED <<ctxOwner, ring, prod, reaped, nicNext, doorbell, engine, call, pinBit>>

\* Guest g returns page p to the free pool (balloon); refused while pinned.
FreePage(g, p) ==
  /\ owner[p] = g
  /\ PinPages => p \notin Pinned
  /\ owner' = [owner EXCEPT ![p] = Hyp]
  /\ UNCHANGED <<ctxOwner, ring, prod, reaped, nicNext, doorbell, engine, call, pinBit>>

\* Guest g hands page p to guest h (page flipping); refused while pinned.
TransferPage(g, h, p) ==
  /\ g # h
  /\ owner[p] = g
  /\ PinPages => p \notin Pinned
  /\ owner' = [owner EXCEPT ![p] = h]
  /\ UNCHANGED <<ctxOwner, ring, prod, reaped, nicNext, doorbell, engine, call, pinBit>>

(* The enqueue hypercall.  A rejected request changes nothing, so only     *)
(* accepted ones are steps.                                                *)

\* The hypervisor's validation of buffer b for guest g.
Validated(g, b) ==
  LET d == [addr |-> b.addr, len |-> b.len, seq |-> 0] IN
  IF ValidateAllPages THEN \A p \in PagesOf(d) : owner[p] = g
                      ELSE owner[PageOf(b.addr)] = g

\* The hypervisor writes buffer b into c's next slot, tagged; the pins on its pages are held from here on.
WriteDescriptor(c, b) ==
  /\ ring' = [ring EXCEPT ![c][Slot(prod[c])] =
                [addr |-> b.addr, len |-> b.len,
                 seq |-> IF SequenceNumbers THEN prod[c] ELSE 0]]
  /\ prod' = [prod EXCEPT ![c] = Succ(@)]

\* c's guest asks the hypervisor to enqueue buffer b on c; it validates, pins, and writes the slot in one step.
PostDescriptor(c, b) ==
  /\ ~HypercallWindow
  /\ InFlight(c) < RingSize
  /\ Validated(ctxOwner[c], b)
  /\ WriteDescriptor(c, b)
  /\ pinBit' = SetBits(b)
  /\ UNCHANGED <<owner, ctxOwner, reaped, nicNext, doorbell, engine, call>>

\* The hypercall's first step: the hypervisor checks the owner of b's pages (pinning them as it goes, with PinAtValidation).
ValidateBuffer(c, b) ==
  /\ HypercallWindow
  /\ call[c] = NoCall
  /\ InFlight(c) < RingSize
  /\ Validated(ctxOwner[c], b)
  /\ call' = [call EXCEPT ![c] = b]
  /\ pinBit' = IF PinAtValidation THEN SetBits(b) ELSE pinBit
  /\ UNCHANGED <<owner, ctxOwner, ring, prod, reaped, nicNext, doorbell, engine>>

\* The hypercall's second step: the checked buffer's pages are pinned (if not already) and its descriptor written.
\* Nothing is checked again: a page the guest gave away since the check is pinned and posted all the same.
PinAndPost(c) ==
  /\ call[c] # NoCall
  /\ WriteDescriptor(c, call[c])
  /\ call' = [call EXCEPT ![c] = NoCall]
  /\ pinBit' = IF PinAtValidation THEN pinBit ELSE SetBits(call[c])
  /\ UNCHANGED <<owner, ctxOwner, reaped, nicNext, doorbell, engine>>

\* c's guest writes any value it likes to its doorbell.
RingDoorbell(c, v) ==
  /\ ModelDoorbell
  /\ doorbell' = [doorbell EXCEPT ![c] = v]
  /\ UNCHANGED <<owner, ctxOwner, ring, prod, reaped, nicNext, engine, call, pinBit>>

(* The NIC.                                                                *)

\* The NIC reads the slot it expects next; with sequence numbers it takes it only if the tag matches.
NicFetch(c) ==
  LET d == ring[c][Slot(nicNext[c])] IN
  /\ engine[c] = Idle
  /\ ModelDoorbell => doorbell[c] # nicNext[c]
  /\ SequenceNumbers => d.seq = nicNext[c]
  /\ IF d.len = 0
       THEN \* an empty slot: nothing to move, the NIC just steps past it
            /\ nicNext' = [nicNext EXCEPT ![c] = Succ(@)]
            /\ UNCHANGED engine
       ELSE /\ engine' = [engine EXCEPT ![c] = [desc |-> d, moved |-> 0]]
            /\ UNCHANGED nicNext
  /\ UNCHANGED <<owner, ctxOwner, ring, prod, reaped, doorbell, call, pinBit>>

\* The DMA engine moves the next page segment of its descriptor; after the last one it reports completion.
NicDma(c) ==
  LET e == engine[c]
      moved == e.moved + NextSegment(c)
  IN
  /\ e # Idle
  /\ IF moved = e.desc.len
       THEN /\ engine' = [engine EXCEPT ![c] = Idle]
            /\ nicNext' = [nicNext EXCEPT ![c] = Succ(@)]
       ELSE /\ engine' = [engine EXCEPT ![c].moved = moved]
            /\ UNCHANGED nicNext
  /\ UNCHANGED <<owner, ctxOwner, ring, prod, reaped, doorbell, call, pinBit>>

(* Completion handling.                                                    *)

\* The hypervisor notices that the NIC finished the oldest outstanding descriptor of c and drops its pins.
ReapCompletions(c) ==
  /\ InFlight(c) > 0
  /\ nicNext[c] # reaped[c]
  /\ reaped' = [reaped EXCEPT ![c] = Succ(@)]
  /\ pinBit' = ClearBits(ring[c][Slot(reaped[c])])
  /\ UNCHANGED <<owner, ctxOwner, ring, prod, nicNext, doorbell, engine, call>>

-----------------------------------------------------------------------------
Next ==
  \/ \E g \in Guests, p \in Pages : AllocatePage(g, p) \/ FreePage(g, p)
  \/ \E g, h \in Guests, p \in Pages : TransferPage(g, h, p)
  \/ \E c \in Contexts :
       \/ \E b \in Buffers : PostDescriptor(c, b) \/ ValidateBuffer(c, b)
       \/ PinAndPost(c)
       \/ \E v \in 0..SeqMod-1 : RingDoorbell(c, v)
       \/ NicFetch(c)
       \/ NicDma(c)
       \/ ReapCompletions(c)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* State-space reduction (argued in docs/reductions.md).  With sequence     *)
(* numbers the absolute counter values and the contents of stale slots      *)
(* cannot influence any future step or any property: the NIC only takes the *)
(* slot whose tag equals nicNext, and a stale slot is rewritten before its  *)
(* position can be expected again.  So states that differ only by a        *)
(* rotation of all of c's counters, or in stale slots, are merged.  Without *)
(* sequence numbers stale slots are exactly what the NIC replays, so the    *)
(* view is the full state.                                                  *)

\* The premise of View, as invariants (proofs/CdnaInductive.tla proves them
\* inductive at small bounds).  A design or spec change that breaks them
\* breaks the argument for merging states, so every model with the View
\* checks them; the first state that breaks them is not merged away, because
\* a fetch outside the window puts the engine on a descriptor the view shows.

\* The last RingSize sequence numbers the hypervisor produced for c: what a written slot can hold.
Produced(c) == {(prod[c] - k) % SeqMod : k \in 1..RingSize}

\* At most RingSize descriptors are outstanding, and the NIC is never ahead of the hypervisor.
Window(c) ==
  /\ InFlight(c) <= RingSize
  /\ (nicNext[c] - reaped[c]) % SeqMod <= InFlight(c)

\* A written slot holds one of the last RingSize descriptors, in the slot its tag names.
SlotsTagged(c) ==
  \A i \in 0..RingSize-1 :
    ring[c][i] = NoDesc \/ (ring[c][i].seq \in Produced(c) /\ ring[c][i].seq % RingSize = i)

\* Every outstanding descriptor is in its slot.
OutstandingInSlots(c) == \A s \in Outstanding(c) : ring[c][Slot(s)].seq = s

\* The engine works only on the outstanding descriptor the NIC expects, and is not yet done with it.
EngineOnExpected(c) ==
  engine[c] # Idle =>
    /\ nicNext[c] \in Outstanding(c)
    /\ engine[c].desc = ring[c][Slot(nicNext[c])]
    /\ engine[c].moved < engine[c].desc.len

\* What View assumes: with sequence numbers, stale slots are never fetched and the
\* counters stay in their window.  Without sequence numbers View is the full state.
ViewPremise ==
  SequenceNumbers =>
    \A c \in Contexts : Window(c) /\ SlotsTagged(c) /\ OutstandingInSlots(c) /\ EngineOnExpected(c)

\* c's outstanding descriptors, oldest first, without their tags.
OutstandingList(c) ==
  [i \in 0..InFlight(c) - 1 |->
     LET d == ring[c][Slot((reaped[c] + i) % SeqMod)] IN <<d.addr, d.len>>]

\* Everything about context c that can still matter, measured from reaped[c].
CtxView(c) ==
  <<OutstandingList(c),
    (nicNext[c] - reaped[c]) % SeqMod,
    IF ModelDoorbell THEN (doorbell[c] - reaped[c]) % SeqMod ELSE 0,
    <<engine[c].desc.addr, engine[c].desc.len, engine[c].moved>>>>

View ==
  IF SequenceNumbers
    THEN <<owner, ctxOwner, [c \in Contexts |-> CtxView(c)], call, pinBit>>
    ELSE vars

=============================================================================
