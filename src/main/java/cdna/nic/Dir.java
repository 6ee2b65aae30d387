package cdna.nic;

/** Which of a context's two rings: transmit (the NIC reads guest memory) or receive (the NIC writes it). */
public enum Dir { TX, RX }
