--------------------------- MODULE IommuInductive ---------------------------
(***************************************************************************)
(* An inductive invariant for InterGuestIsolation of the IOMMU design      *)
(* (single-use mappings, a requester ID per context; strict invalidation,  *)
(* or deferred with a flush before a page leaves its guest).  TLC checks,  *)
(* over every type-correct state at small bounds:                          *)
(*   Init => IndInv                         (IommuInductiveInit.cfg)       *)
(*   IndInv /\ Next => IndInv'              (IommuInductiveStep.cfg)       *)
(*   IndInv => InterGuestIsolation          (IommuInductiveStep.cfg)       *)
(* bin/cdna prove proves the same conjuncts, under the same names, for     *)
(* every size (cdna.proof.IommuEncoding; docs/proofs.md).                  *)
(***************************************************************************)
EXTENDS IommuProtection, TLC

\* Every assignment of contexts to guests is an initial one.
AllCtxOwners == [Contexts -> Guests]

\* The deferred-invalidation counter never goes negative.
UnflushedNat == unflushed \in Nat

\* Posted buffers are buffers (a part of TypeOK the encoding must carry).
PostedAreBuffers == \A c \in Contexts : posted[c] \subseteq Buffers

\* Every byte of a posted buffer belongs to the context's guest.
PostedOwned ==
  \A c \in Contexts : \A b \in posted[c] : \A a \in CellsOf(b) : CellOwner(a) = ctxOwner[c]

\* Every cell a context's domain maps belongs to the context's guest.
MappedOwned == \A c \in Contexts : \A a \in PageTable(Dom(c)) : CellOwner(a) = ctxOwner[c]

\* Every translation left in a context's IOTLB is of a cell its guest still owns.
IotlbOwned == \A c \in Contexts : \A a \in iotlb[Dom(c)] : CellOwner(a) = ctxOwner[c]

\* The conjuncts of IndInv left out, by name: weakening the invariant shows which
\* action needs each conjunct (bin/cdna prove --without; the small-bounds search).
CONSTANT Dropped

\* The conjuncts of IndInv, named as the all-sizes proof names them (cdna.proof.IommuEncoding).
Conjuncts == {"UnflushedNat", "PostedAreBuffers", "PostedOwned", "MappedOwned", "IotlbOwned"}

\* Conjunct n is part of the invariant checked.
Kept(n) == n \notin Dropped

\* Conjunct n of IndInv: an INVARIANT per conjunct lets TLC name the one a step breaks.
Conjunct(n) ==
  CASE n = "UnflushedNat"     -> UnflushedNat
    [] n = "PostedAreBuffers" -> PostedAreBuffers
    [] n = "PostedOwned"      -> PostedOwned
    [] n = "MappedOwned"      -> MappedOwned
    [] n = "IotlbOwned"       -> IotlbOwned

\* Every kept conjunct.
IndInv == \A n \in Conjuncts \ Dropped : Conjunct(n)

\* Every type-correct state satisfying IndInv.  persist stays empty: the
\* single-use strategy never writes it, and leaving it free would multiply
\* the states TLC enumerates by 2^|Cells| per domain for nothing.
IndInit ==
  /\ owner \in [Pages -> Owners]
  /\ ctxOwner \in [Contexts -> Guests]
  /\ posted \in [Contexts -> {S \in SUBSET Buffers : Cardinality(S) <= RingSize}]
  /\ Kept("PostedOwned") => PostedOwned
  /\ persist = [d \in Domains |-> {}]
  /\ iotlb \in [Domains -> SUBSET Cells]
  /\ unflushed \in 0..FlushBatch
  /\ IndInv

\* One step from every IndInv state.
IndSpec == IndInit /\ [][Next]_vars

\* The initial-condition check: only the initial states.
InitSpec == Init /\ [][FALSE]_vars

\* Stop after one step (TLCGet("level") is 0 in initial states on this TLC).
OneStep == TLCGet("level") < 1
=============================================================================
