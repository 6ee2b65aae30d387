------------------------------- MODULE MCCdna -------------------------------
(* Model values, symmetry and trace labelling for checking CdnaProtection. *)
EXTENDS CdnaProtection, TLC

\* Start from every assignment of contexts to guests, so guests and contexts are each fully symmetric.
MCInitCtxOwners == [Contexts -> Guests]

\* Sound: no definition singles out a guest or a context, and every assignment is an initial state.
\* Pages are not permuted: a buffer spills into the *next* page.
MCSymmetry == Permutations(Guests) \cup Permutations(Contexts)

(* For counterexample traces: every action of Next with its parameters, so *)
(* the trace explainer can name the parameters of each step.  A test       *)
(* checks that \E a : Fire(a) has exactly the state graph of Next.         *)

\* Every action instance of Next, by name and parameters.
TraceActions ==
  [AllocatePage |-> [g : Guests, p : Pages],
   FreePage |-> [g : Guests, p : Pages],
   TransferPage |-> [g : Guests, h : Guests, p : Pages],
   PostDescriptor |-> [c : Contexts, b : Buffers],
   ValidateBuffer |-> [c : Contexts, b : Buffers],
   PinAndPost |-> [c : Contexts],
   RingDoorbell |-> [c : Contexts, v : 0..SeqMod-1],
   NicFetch |-> [c : Contexts],
   NicDma |-> [c : Contexts],
   ReapCompletions |-> [c : Contexts]]

\* Performs the action instance x of the action called name.
Fire(name, x) ==
  CASE name = "AllocatePage" -> AllocatePage(x.g, x.p)
    [] name = "FreePage" -> FreePage(x.g, x.p)
    [] name = "TransferPage" -> TransferPage(x.g, x.h, x.p)
    [] name = "PostDescriptor" -> PostDescriptor(x.c, x.b)
    [] name = "ValidateBuffer" -> ValidateBuffer(x.c, x.b)
    [] name = "PinAndPost" -> PinAndPost(x.c)
    [] name = "RingDoorbell" -> RingDoorbell(x.c, x.v)
    [] name = "NicFetch" -> NicFetch(x.c)
    [] name = "NicDma" -> NicDma(x.c)
    [] name = "ReapCompletions" -> ReapCompletions(x.c)

\* Next, rebuilt from the labelled instances (checked against Next by a test).
FiredNext == \E name \in DOMAIN TraceActions : \E x \in TraceActions[name] : Fire(name, x)
FiredSpec == Init /\ [][FiredNext]_vars

(* Reachability witnesses (docs/vacuity.md).  Each describes a dangerous   *)
(* situation that a property guards against.  A safe design must still be  *)
(* able to get there, or its "holds" says nothing: the checker asks TLC for *)
(* a trace to each (as an invariant ~W it must find violated), and a        *)
(* witness it cannot reach makes the verdict "vacuous".                     *)

\* The NIC is moving a buffer whose next byte belongs to another guest: one byte more would cross into it.
WitnessDmaBesideForeignPage ==
  \E c \in Contexts :
    /\ engine[c] # Idle
    /\ LET next == engine[c].desc.addr + engine[c].desc.len
       IN next \in Cells /\ owner[PageOf(next)] \notin {ctxOwner[c], Hyp}

\* The NIC is moving a buffer that spans two pages: validating only its first page would let it cross.
WitnessCrossPageDma ==
  \E c \in Contexts :
    /\ engine[c] # Idle
    /\ PageOf(engine[c].desc.addr) # PageOf(engine[c].desc.addr + engine[c].desc.len - 1)

\* The NIC is mid-transfer into a page its guest still owns and may ask to free or give away: only the pin refuses.
WitnessFreeUnderDma ==
  \E c \in Contexts : engine[c] # Idle /\ \E p \in PagesOf(engine[c].desc) : owner[p] = ctxOwner[c]

\* The NIC is mid-transfer while its guest owns bytes outside every buffer it posted: what the DMA must not touch.
WitnessUnpostedBytesNearDma ==
  \E c \in Contexts :
    /\ engine[c] # Idle
    /\ \E a \in Cells : owner[PageOf(a)] = ctxOwner[c] /\ a \notin PostedCells(c)
\* Every slot outstanding and the engine busy: the window the View's premise bounds is full.
\* (A stale slot itself is no witness here: the View merges it with the empty slot it replaced.)
WitnessWindowFull ==
  \E c \in Contexts : InFlight(c) = RingSize /\ engine[c] # Idle
=====
