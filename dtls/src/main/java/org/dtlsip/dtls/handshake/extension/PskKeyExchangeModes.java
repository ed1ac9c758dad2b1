package org.dtlsip.dtls.handshake.extension;

import java.util.List;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * psk_key_exchange_modes (RFC 8446 4.2.9): {@code PskKeyExchangeMode ke_modes<1..255>}. A
 * client offering a PSK must send it; a server may only resume in a mode listed. We offer and
 * accept psk_dhe_ke alone, so every resumed association still gets forward secrecy.
 */
public record PskKeyExchangeModes(List<Integer> modes) {
    /** PSK-only key establishment: no forward secrecy. */
    public static final int PSK_KE = 0;
    /** PSK with (EC)DHE key establishment. */
    public static final int PSK_DHE_KE = 1;

    public PskKeyExchangeModes {
        modes = CodeLists.check(modes, 1, 1, "psk_key_exchange_modes");
    }

    public static PskKeyExchangeModes pskDheKe() {
        return new PskKeyExchangeModes(List.of(PSK_DHE_KE));
    }

    /** @throws org.dtlsip.dtls.util.DecodeException if the list is empty or bytes trail */
    public static PskKeyExchangeModes from(Extension e) {
        CodeLists.requireType(e, ExtensionType.PSK_KEY_EXCHANGE_MODES);
        ByteReader r = new ByteReader(e.data());
        List<Integer> modes = CodeLists.read(r, 1, 1, "psk_key_exchange_modes");
        r.expectEnd("psk_key_exchange_modes");
        return new PskKeyExchangeModes(modes);
    }

    public Extension toExtension() {
        ByteWriter w = new ByteWriter(1 + modes.size());
        CodeLists.write(w, 1, 1, modes);
        return new Extension(ExtensionType.PSK_KEY_EXCHANGE_MODES, w.toByteArray());
    }

    public boolean allows(int mode) {
        return modes.contains(mode);
    }
}
