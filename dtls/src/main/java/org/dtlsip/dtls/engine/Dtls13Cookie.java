package org.dtlsip.dtls.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.Transcript13;
import org.dtlsip.dtls.handshake.extension.Cookie;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.handshake.extension.KeyShareClientHello;
import org.dtlsip.dtls.handshake.extension.KeyShareHelloRetryRequest;
import org.dtlsip.dtls.handshake.extension.SelectedVersion;
import org.dtlsip.dtls.handshake.extension.SupportedGroups;
import org.dtlsip.dtls.handshake.extension.SupportedVersions;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.handshake.message.HelloRetryRequest;
import org.dtlsip.dtls.handshake.message.ServerHello;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * The stateless DTLS 1.3 cookie exchange (RFC 9147 5.1, RFC 8446 4.2.2): the server answers a
 * cookie-less ClientHello with a HelloRetryRequest whose cookie carries everything the rest of
 * the handshake needs, and keeps nothing. The cookie is
 * <pre>
 *   uint8 format (1); uint16 cipher_suite; uint16 selected_group (0: none asked);
 *   opaque client_hello_hash&lt;1..255&gt;; opaque mac[16]
 * </pre>
 * where the hash is Transcript-Hash(ClientHello1) under the suite's hash and the MAC is the
 * {@link CookieGenerator}'s over the client's address and everything before it. With it the
 * association rebuilds its transcript as message_hash(ClientHello1) + the HelloRetryRequest,
 * re-created byte for byte by {@link #helloRetryRequest}.
 *
 * <p>The choice of suite and group is {@link #choose}'s alone, so the front door and the
 * association cannot disagree.
 */
final class Dtls13Cookie {
    private static final int FORMAT = 1;

    private Dtls13Cookie() {
    }

    /** The server's choice for a ClientHello: suite, and the group to ask for if the hello has no usable share. */
    record Choice(Tls13CipherSuite suite, NamedGroup shareGroup, NamedGroup retryGroup) {
    }

    /** What a cookie says, once its MAC checked out. */
    record Contents(Tls13CipherSuite suite, NamedGroup retryGroup, byte[] clientHelloHash) {
    }

    /** Whether {@code hello} offers DTLS 1.3 in supported_versions (RFC 8446 4.2.1). */
    static boolean offersDtls13(ClientHello hello) {
        Extension versions = Extensions.find(hello.extensions(), ExtensionType.SUPPORTED_VERSIONS);
        return versions != null && SupportedVersions.from(versions).offers(ProtocolVersion.DTLS_1_3);
    }

    /**
     * Our most preferred suite the client offers, and the group: our most preferred one the
     * client sent a share for, or else (a HelloRetryRequest asks for it, RFC 8446 4.1.4) our
     * most preferred one it supports.
     *
     * @throws HandshakeFailure handshake_failure when nothing is in common, illegal_parameter
     *     for duplicate shares (RFC 8446 4.2.8), missing_extension without key_share
     */
    static Choice choose(DtlsConfig config, ClientHello hello) {
        Tls13CipherSuite suite = null;
        for (Tls13CipherSuite s : config.tls13CipherSuites()) {
            if (hello.cipherSuites().contains(s.code)) {
                suite = s;
                break;
            }
        }
        if (suite == null) {
            throw new HandshakeFailure(AlertDescription.HANDSHAKE_FAILURE, "no DTLS 1.3 cipher suite in common; we accept "
                    + config.tls13CipherSuites());
        }
        Extension ks = Extensions.find(hello.extensions(), ExtensionType.KEY_SHARE);
        if (ks == null) {
            throw new HandshakeFailure(AlertDescription.MISSING_EXTENSION, "DTLS 1.3 ClientHello without key_share (RFC 8446 9.2)");
        }
        KeyShareClientHello shares = KeyShareClientHello.from(ks);
        if (shares.hasDuplicateGroups()) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER, "two key shares for one group (RFC 8446 4.2.8)");
        }
        for (NamedGroup g : config.namedGroups()) {
            if (shares.shareFor(g) != null) {
                return new Choice(suite, g, null);
            }
        }
        Extension supported = Extensions.find(hello.extensions(), ExtensionType.SUPPORTED_GROUPS);
        List<Integer> offered = supported == null ? List.of() : SupportedGroups.from(supported).groups();
        for (NamedGroup g : config.namedGroups()) {
            if (offered.contains(g.code)) {
                return new Choice(suite, null, g);
            }
        }
        throw new HandshakeFailure(AlertDescription.HANDSHAKE_FAILURE, "no key exchange group in common; we accept "
                + config.namedGroups());
    }

    /** The MAC'd part of a cookie for {@code clientHello} (a message as received). */
    static byte[] unauthenticated(Choice choice, HandshakeMessage clientHello) {
        Transcript13 t = new Transcript13();
        t.add(clientHello);
        byte[] hash = t.hash(choice.suite().hash);
        ByteWriter w = new ByteWriter(6 + hash.length);
        w.u8(FORMAT).u16(choice.suite().code).u16(choice.retryGroup() == null ? 0 : choice.retryGroup().code).vector8(hash);
        return w.toByteArray();
    }

    /** The cookie's fields (MAC stripped by the caller), or {@code null} when they do not parse. */
    static Contents parse(byte[] fields) {
        try {
            ByteReader r = new ByteReader(fields);
            if (r.u8() != FORMAT) {
                return null;
            }
            Tls13CipherSuite suite = Tls13CipherSuite.of(r.u16());
            int group = r.u16();
            byte[] hash = r.vector8();
            if (r.hasRemaining() || suite == null || hash.length != suite.hash.length) {
                return null;
            }
            NamedGroup retryGroup = group == 0 ? null : NamedGroup.of(group);
            if (group != 0 && retryGroup == null) {
                return null;
            }
            return new Contents(suite, retryGroup, hash);
        } catch (DecodeException e) {
            return null;
        }
    }

    /** The cookie extension's bytes in {@code hello}, or {@code null}. */
    static byte[] cookieOf(ClientHello hello) {
        Extension e = Extensions.find(hello.extensions(), ExtensionType.COOKIE);
        return e == null ? null : Cookie.from(e).cookie();
    }

    /** Splits a cookie into its fields and MAC; {@code null} when too short. */
    static byte[][] split(byte[] cookie) {
        if (cookie.length <= CookieGenerator.COOKIE_LENGTH) {
            return null;
        }
        int n = cookie.length - CookieGenerator.COOKIE_LENGTH;
        return new byte[][] {Arrays.copyOf(cookie, n), Arrays.copyOfRange(cookie, n, cookie.length)};
    }

    /**
     * The HelloRetryRequest carrying {@code cookie}: the same bytes whether the front door sends
     * it or the association re-creates it for the transcript (RFC 8446 4.4.1).
     */
    static ServerHello helloRetryRequest(Tls13CipherSuite suite, NamedGroup retryGroup, byte[] sessionId, byte[] cookie) {
        List<Extension> exts = new ArrayList<>(3);
        exts.add(new SelectedVersion(ProtocolVersion.DTLS_1_3).toExtension());
        if (retryGroup != null) {
            exts.add(KeyShareHelloRetryRequest.of(retryGroup).toExtension());
        }
        exts.add(new Cookie(cookie).toExtension());
        return HelloRetryRequest.create(suite.code, sessionId, exts);
    }

    /** The transcript after a stateless retry: message_hash(ClientHello1), then the HelloRetryRequest (RFC 8446 4.4.1). */
    static Transcript13 transcriptAfterRetry(Contents contents, ServerHello hrr) {
        Transcript13 t = Transcript13.startingWithMessageHash(contents.clientHelloHash());
        t.add(new HandshakeMessage(HandshakeType.SERVER_HELLO, 0, hrr.encode()));
        return t;
    }
}
