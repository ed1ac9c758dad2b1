package org.dtlsip.dtls.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;
import org.dtlsip.dtls.util.Hex;
import org.junit.jupiter.api.Test;

class HandshakeFragmentTest {

    @Test
    void encodesTheTwelveByteHeaderThenTheFragment() {
        HandshakeFragment f = new HandshakeFragment(11, 0x010203, 0x0405, 0x000010, new byte[] {9, 8});
        ByteWriter w = new ByteWriter();
        f.encode(w);
        assertEquals("0b010203040500001000000209" + "08", Hex.encode(w.toByteArray()));
        assertEquals(14, f.encodedLength());
        assertEquals(2, f.fragmentLength());
        assertFalse(f.isComplete());
    }

    @Test
    void decodeRoundTripsAndLeavesTheRestOfTheRecord() {
        byte[] wire = Hex.decode("0e" + "000000" + "0003" + "000000" + "000000" + "ff");
        ByteReader r = new ByteReader(wire);
        HandshakeFragment f = HandshakeFragment.decode(r);
        assertEquals(14, f.msgType());
        assertEquals(3, f.messageSeq());
        assertTrue(f.isComplete());
        assertEquals(1, r.remaining());
    }

    @Test
    void fragmentPastMessageLengthIsADecodeError() {
        // length 4, offset 3, fragment_length 2
        byte[] wire = Hex.decode("01000004" + "0000" + "000003" + "000002" + "aabb");
        assertThrows(DecodeException.class, () -> HandshakeFragment.decode(new ByteReader(wire)));
    }

    @Test
    void everyTruncationIsADecodeError() {
        ByteWriter w = new ByteWriter();
        new HandshakeFragment(1, 10, 0, 2, new byte[] {1, 2, 3}).encode(w);
        byte[] wire = w.toByteArray();
        for (int n = 0; n < wire.length; n++) {
            ByteReader r = new ByteReader(wire, 0, n);
            assertThrows(DecodeException.class, () -> HandshakeFragment.decode(r), "prefix " + n);
        }
    }

    @Test
    void fragmentIsDefensivelyCopied() {
        byte[] b = {1, 2, 3};
        HandshakeFragment f = new HandshakeFragment(1, 3, 0, 0, b);
        b[0] = 7;
        f.fragment()[1] = 7;
        assertArrayEquals(new byte[] {1, 2, 3}, f.fragment());
        assertEquals(new HandshakeFragment(1, 3, 0, 0, new byte[] {1, 2, 3}), f);
    }

    @Test
    void transcriptBytesUseTheUnfragmentedHeader() {
        HandshakeMessage m = new HandshakeMessage(HandshakeType.FINISHED, 5, new byte[] {1, 2, 3});
        assertEquals("14" + "000003" + "0005" + "000000" + "000003" + "010203", Hex.encode(m.transcriptBytes()));
        ByteWriter w = new ByteWriter();
        m.asFragment().encode(w);
        assertArrayEquals(m.transcriptBytes(), w.toByteArray());
    }

    @Test
    void fragmenterSplitsIntoContiguousPieces() {
        byte[] body = new byte[10];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        HandshakeMessage m = new HandshakeMessage(HandshakeType.CERTIFICATE, 2, body);
        List<HandshakeFragment> fs = Fragmenter.fragment(m, 4);
        assertEquals(3, fs.size());
        assertEquals(0, fs.get(0).fragmentOffset());
        assertEquals(4, fs.get(1).fragmentOffset());
        assertEquals(8, fs.get(2).fragmentOffset());
        assertEquals(2, fs.get(2).fragmentLength());
        for (HandshakeFragment f : fs) {
            assertEquals(10, f.length());
            assertEquals(2, f.messageSeq());
        }
        assertEquals(1, Fragmenter.fragment(m, Integer.MAX_VALUE).size());
        assertThrows(IllegalArgumentException.class, () -> Fragmenter.fragment(m, 0));
    }

    @Test
    void fragmenterGivesOneEmptyFragmentForAnEmptyBody() {
        HandshakeMessage m = new HandshakeMessage(HandshakeType.SERVER_HELLO_DONE, 4, new byte[0]);
        List<HandshakeFragment> fs = Fragmenter.fragment(m, 100);
        assertEquals(1, fs.size());
        assertEquals(0, fs.get(0).fragmentLength());
        assertTrue(fs.get(0).isComplete());
    }
}
