package org.dtlsip.dtls.handshake.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SignatureScheme;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;
import org.dtlsip.dtls.util.Hex;
import org.junit.jupiter.api.Test;

class ExtensionsTest {

    private static byte[] encode(List<Extension> exts) {
        ByteWriter w = new ByteWriter();
        Extensions.encode(w, exts);
        return w.toByteArray();
    }

    @Test
    void absentBlockIsEmptyAndEmptyListIsOmitted() {
        assertEquals(List.of(), Extensions.decode(new ByteReader(new byte[0])));
        assertEquals(0, encode(List.of()).length);
        // an explicit empty block is legal too
        assertEquals(List.of(), Extensions.decode(new ByteReader(Hex.decode("0000"))));
    }

    @Test
    void roundTripsAndFinds() {
        List<Extension> exts = List.of(Extensions.extendedMasterSecret(),
                RenegotiationInfo.initial().toExtension(), new Extension(0x1234, new byte[] {1, 2}));
        byte[] wire = encode(exts);
        assertEquals("000f" + "0017" + "0000" + "ff01" + "0001" + "00" + "1234" + "0002" + "0102",
                Hex.encode(wire));
        List<Extension> back = Extensions.decode(new ByteReader(wire));
        assertEquals(exts, back);
        assertTrue(Extensions.isEmpty(Extensions.find(back, ExtensionType.EXTENDED_MASTER_SECRET)));
        assertNull(Extensions.find(back, ExtensionType.ALPN));
    }

    @Test
    void duplicateTypeIsADecodeError() {
        byte[] wire = Hex.decode("0008" + "0017" + "0000" + "0017" + "0000");
        DecodeException e = assertThrows(DecodeException.class, () -> Extensions.decode(new ByteReader(wire)));
        assertTrue(e.getMessage().contains("duplicate extension extended_master_secret"));
        assertThrows(IllegalArgumentException.class,
                () -> Extensions.copyOf(List.of(Extensions.extendedMasterSecret(), Extensions.extendedMasterSecret())));
    }

    @Test
    void innerLengthOverrunningTheBlockIsADecodeError() {
        assertThrows(DecodeException.class, () -> Extensions.decode(new ByteReader(Hex.decode("0004" + "0017" + "0001" + "00"))));
        assertThrows(DecodeException.class, () -> Extensions.decode(new ByteReader(Hex.decode("0003" + "0017" + "00"))));
        assertThrows(DecodeException.class, () -> Extensions.decode(new ByteReader(Hex.decode("00"))));
    }

    @Test
    void supportedGroupsKeepUnknownCodes() {
        SupportedGroups g = new SupportedGroups(List.of(29, 0x0a0a, 23));
        Extension e = g.toExtension();
        assertEquals("0006001d0a0a0017", Hex.encode(e.data()));
        SupportedGroups back = SupportedGroups.from(e);
        assertEquals(g, back);
        assertEquals(List.of(NamedGroup.X25519, NamedGroup.SECP256R1), back.known());
        assertThrows(DecodeException.class, () -> SupportedGroups.decode(Hex.decode("0000")));
        assertThrows(DecodeException.class, () -> SupportedGroups.decode(Hex.decode("0003001d00")));
        assertThrows(DecodeException.class, () -> SupportedGroups.decode(Hex.decode("0002001d00")));
        assertThrows(IllegalArgumentException.class, () -> SupportedGroups.from(Extensions.extendedMasterSecret()));
    }

    @Test
    void signatureAlgorithmsFilterKnownSchemes() {
        SignatureAlgorithms s = new SignatureAlgorithms(List.of(0x0403, 0x0201, 0x0804));
        SignatureAlgorithms back = SignatureAlgorithms.from(s.toExtension());
        assertEquals(s, back);
        assertEquals(List.of(SignatureScheme.ECDSA_SECP256R1_SHA256, SignatureScheme.RSA_PSS_RSAE_SHA256), back.known());
        assertThrows(DecodeException.class, () -> SignatureAlgorithms.decode(Hex.decode("0000")));
        assertThrows(DecodeException.class, () -> SignatureAlgorithms.decode(new byte[0]));
    }

    @Test
    void ecPointFormatsReportUncompressed() {
        assertTrue(EcPointFormats.from(EcPointFormats.uncompressedOnly().toExtension()).supportsUncompressed());
        assertFalse(EcPointFormats.decode(Hex.decode("0101")).supportsUncompressed());
        assertEquals(List.of(0, 1, 2), EcPointFormats.decode(Hex.decode("03000102")).formats());
        assertThrows(DecodeException.class, () -> EcPointFormats.decode(Hex.decode("00")));
        assertThrows(DecodeException.class, () -> EcPointFormats.decode(Hex.decode("0200")));
    }

    @Test
    void renegotiationInfoIsAnOpaque8() {
        RenegotiationInfo ri = new RenegotiationInfo(new byte[] {1, 2, 3});
        assertArrayEquals(Hex.decode("03010203"), ri.toExtension().data());
        assertEquals(ri, RenegotiationInfo.from(ri.toExtension()));
        assertTrue(RenegotiationInfo.decode(Hex.decode("00")).isEmpty());
        assertThrows(DecodeException.class, () -> RenegotiationInfo.decode(new byte[0]));
        assertThrows(DecodeException.class, () -> RenegotiationInfo.decode(Hex.decode("0001")));
        assertThrows(DecodeException.class, () -> RenegotiationInfo.decode(Hex.decode("020102ff")));
    }
}
