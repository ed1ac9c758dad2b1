package org.dtlsip.dtls.engine;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.EpochRelation;

/**
 * What one handshake state accepts, decided from headers alone, before any body is parsed: a
 * {@link Rule} for every (epoch relation, content type) pair, and for handshake records the
 * message types the state processes or ignores. Everything else is discarded and counted, or
 * (a handshake message of a type the state does not expect) answered with a fatal
 * unexpected_message alert (RFC 5246 7.2.2). Each rule cites the RFC text it comes from.
 *
 * <p>A state machine declares one instance per state (see {@link Dtls12Acceptance} for DTLS
 * 1.2); the engine consults it for every record and every reassembled message, so no
 * {@code process*} method re-checks an epoch or a state. Lookups index arrays: O(1), no
 * allocation. Instances are immutable.
 *
 * <p>Another version declares its tables the same way: its record layer says how an epoch
 * stands to the one being read ({@link EpochRelation}, relative, so DTLS 1.3's jump from epoch
 * 0 to 2 is still CURRENT/PREVIOUS), and each state builds its rows with {@link #builder()}.
 * {@link Builder#build()} refuses a table that leaves any (epoch relation, content type) pair
 * undecided, so a content type added to {@link ContentType} must be given a rule everywhere.
 */
public final class Acceptance {
    private static final EpochRelation[] RELATIONS = EpochRelation.values();
    private static final ContentType[] TYPES = ContentType.values();

    /** What happens to a record a rule matches. */
    public enum Action {
        /** The engine reads it: a handshake fragment, a ChangeCipherSpec, an alert, application data. */
        PROCESS,
        /**
         * Handshake records only: a repeat of a message already processed is read (it tells us
         * the peer lost our last flight, RFC 6347 4.2.4); a new message is discarded.
         */
        REPEATS_ONLY,
        /** Held until the ChangeCipherSpec installs its epoch (RFC 6347 4.1: records may be reordered across it). */
        BUFFER,
        /** Discarded and counted (RFC 6347 4.1.2.7: invalid records are silently discarded). */
        DISCARD
    }

    /**
     * One row of a state's table.
     *
     * @param reason what a discarded record is counted as: for {@link Action#DISCARD} the record
     *     itself, for {@link Action#REPEATS_ONLY} a new message in it; {@code null} for the other
     *     actions, which discard nothing
     * @param rfc the rule's source, cited in logs and failures
     */
    public record Rule(EpochRelation epoch, ContentType type, Action action, DropReason reason, String rfc) {
        public Rule {
            Objects.requireNonNull(epoch, "epoch");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(rfc, "rfc");
            boolean discards = action == Action.DISCARD || action == Action.REPEATS_ONLY;
            if (discards != (reason != null)) {
                throw new IllegalArgumentException(action + " takes " + (discards ? "a" : "no") + " drop reason");
            }
            if (action == Action.REPEATS_ONLY && type != ContentType.HANDSHAKE) {
                throw new IllegalArgumentException("REPEATS_ONLY applies to handshake records only");
            }
        }
    }

    private final Rule[] rules;
    private final Set<HandshakeType> messages;
    private final String messagesRfc;
    private final Set<HandshakeType> ignored;
    private final String ignoredRfc;

    private Acceptance(Builder b) {
        this.rules = b.rules.clone();
        this.messages = Collections.unmodifiableSet(EnumSet.copyOf(b.messages));
        this.messagesRfc = b.messagesRfc;
        this.ignored = Collections.unmodifiableSet(EnumSet.copyOf(b.ignored));
        this.ignoredRfc = b.ignoredRfc;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The rule for a record of {@code type} in an epoch that stands to the current one as {@code epoch}. */
    public Rule rule(EpochRelation epoch, ContentType type) {
        return rules[epoch.ordinal() * TYPES.length + type.ordinal()];
    }

    /** Whether a new handshake message of {@code type} is processed in the current epoch. */
    public boolean accepts(HandshakeType type) {
        return messages.contains(type);
    }

    /**
     * Whether a handshake message of {@code type} is discarded without taking up its
     * message_seq: a message the RFC says to ignore in this state (e.g. HelloRequest while the
     * client negotiates, RFC 5246 7.4.1.1).
     */
    public boolean ignores(HandshakeType type) {
        return ignored.contains(type);
    }

    /** The handshake types processed in the current epoch. */
    public Set<HandshakeType> messages() {
        return messages;
    }

    /** Where the accepted message types come from. */
    public String messagesRfc() {
        return messagesRfc;
    }

    public Set<HandshakeType> ignored() {
        return ignored;
    }

    public String ignoredRfc() {
        return ignoredRfc;
    }

    /**
     * Collects rules; {@link #build()} refuses a table with a pair left undecided, so every
     * record has exactly one rule. Later rules for the same pair replace earlier ones, so a
     * state can start from a shared set of rows and change a few.
     */
    public static final class Builder {
        private final Rule[] rules = new Rule[RELATIONS.length * TYPES.length];
        private final EnumSet<HandshakeType> messages = EnumSet.noneOf(HandshakeType.class);
        private String messagesRfc = "";
        private final EnumSet<HandshakeType> ignored = EnumSet.noneOf(HandshakeType.class);
        private String ignoredRfc = "";

        private Builder() {
        }

        /** Records of {@code type} in {@code epoch} are processed (or buffered, for {@link Action#BUFFER}). */
        public Builder on(EpochRelation epoch, ContentType type, Action action, String rfc) {
            return put(new Rule(epoch, type, action, null, rfc));
        }

        /** Records of {@code type} in {@code epoch} are discarded and counted as {@code reason}. */
        public Builder discard(EpochRelation epoch, ContentType type, DropReason reason, String rfc) {
            return put(new Rule(epoch, type, Action.DISCARD, reason, rfc));
        }

        /** Handshake records in {@code epoch} are read only for repeats; new messages are counted as {@code reason}. */
        public Builder repeatsOnly(EpochRelation epoch, DropReason reason, String rfc) {
            return put(new Rule(epoch, ContentType.HANDSHAKE, Action.REPEATS_ONLY, reason, rfc));
        }

        /** Every content type in {@code epoch}, e.g. an epoch that is buffered or never readable. */
        public Builder all(EpochRelation epoch, Action action, DropReason reason, String rfc) {
            for (ContentType type : TYPES) {
                put(new Rule(epoch, type, action, reason, rfc));
            }
            return this;
        }

        /** The handshake types processed in the current epoch (replacing any set before). */
        public Builder messages(String rfc, HandshakeType... types) {
            messages.clear();
            messages.addAll(java.util.List.of(types));
            messagesRfc = rfc;
            return this;
        }

        /** The handshake types discarded without taking a message_seq (replacing any set before). */
        public Builder ignore(String rfc, HandshakeType... types) {
            ignored.clear();
            ignored.addAll(java.util.List.of(types));
            ignoredRfc = rfc;
            return this;
        }

        private Builder put(Rule rule) {
            rules[rule.epoch().ordinal() * TYPES.length + rule.type().ordinal()] = rule;
            return this;
        }

        /** @throws IllegalStateException naming a pair no rule covers, or a type both processed and ignored */
        public Acceptance build() {
            for (EpochRelation epoch : RELATIONS) {
                for (ContentType type : TYPES) {
                    if (rules[epoch.ordinal() * TYPES.length + type.ordinal()] == null) {
                        throw new IllegalStateException("no rule for " + type + " records in the " + epoch + " epoch");
                    }
                }
            }
            for (HandshakeType t : ignored) {
                if (messages.contains(t)) {
                    throw new IllegalStateException(t + " is both processed and ignored");
                }
            }
            return new Acceptance(this);
        }
    }
}
