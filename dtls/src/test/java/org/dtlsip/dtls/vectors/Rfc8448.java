package org.dtlsip.dtls.vectors;

/**
 * Values from RFC 8448 (Example Handshake Traces for TLS 1.3), hex, copied from the RFC text.
 * They use TLS 1.3's labels ("tls13 "), so they test the key schedule and record protection with
 * {@link org.dtlsip.dtls.crypto.LabelPrefix#TLS13}. Handshake messages are in TLS form (4-byte
 * header), the form a DTLS 1.3 transcript hashes too (RFC 9147 5.2); records are TLS 1.3
 * records (5-byte header).
 */
public final class Rfc8448 {
    /** Section 3: the ClientHello (TLS form, 4-byte header). */
    public static final String CH = ""
            + "010000c003036660261ff947cea49cce6cfad687f457cf1b14531ba14131a0e8f309a1d0b9c400000613011303130201"
            + "0000910000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400"
            + "230000003300260024001d00204cfdfcd178b784bf328cae793b136f2aedce005ff183d7bb1495207236647037002b00"
            + "03020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c"
            + "00024001";
    /** Section 3: the ServerHello. */
    public static final String SH = ""
            + "0200005603031274991495cf425857262dde2299342c315afba9b64a87d552515614e01b045d00130100002e00330024"
            + "001d0020c7bb6bdfc26350b929a08a41a76ddac210b096868d960c4845987dc3a7fa650a002b00020304";
    /** Section 3: EncryptedExtensions. */
    public static final String EE = "080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000";
    /** Section 3: the server Certificate (TLS 1.3 form). */
    public static final String CERT = ""
            + "0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a864886f70d01010b0500300e310c300a"
            + "06035504031303727361301e170d3136303733303031323335395a170d3236303733303031323335395a300e310c300a"
            + "0603550403130372736130819f300d06092a864886f70d010101050003818d0030818902818100b4bb498f8279303d98"
            + "0836399b36c6988c0c68de55e1bdb826d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced4312"
            + "0998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef0461c8ca9d9efbfae8ea6d1d0"
            + "3e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f0203010001a31a301830090603551d1304023000300b060355"
            + "1d0f0404030205a0300d06092a864886f70d01010b05000381810085aad2a0e5b9276b908c65f73a7267170618a54c5f"
            + "8a7b337d2df7a594365417f2eae8f8a58c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67f2dbf102"
            + "702e608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0a8b2f759409ba3eac9d91d402dcc0cc8"
            + "f8961229ac9187b42b4de10000";
    /** Section 3: CertificateVerify, rsa_pss_rsae_sha256. */
    public static final String CV = ""
            + "0f00008408040080ace0af8e87d7c63cc9dbe7dcc12ff83bd55df0ccda9bf4e5a0f70100d9bc4d25aa684fd9d347642c"
            + "942222526e163e3b0fba312b10e9b67eb0ac9c2be5fef490f81d7827e3bc12fa027ab439e71cc8459c14b94a8f3506ec"
            + "44547d6c23e19cc7f9d5e0d1f595108fc240f5b0842c485a321487c4950377a52e917294715567cd";
    /** Section 3: the server Finished. */
    public static final String SERVER_FINISHED = "140000204c92b1b256d861a1830167827d3e288d1a76f03484e9ec886d4ff66149cbec2f";
    /** Section 3: the client Finished. */
    public static final String CLIENT_FINISHED = "1400002080a2c0d6cbc21078dba30affbf091929278edc832db4bfa1c811c9e8c67da9bb";
    /** Section 3: NewSessionTicket. */
    public static final String NST = ""
            + "040000c90000001e933d093202000000b2f35edae4e60404d6f40fa17f000000008393d163fb4f5f105fe2056caeb32a"
            + "c7007070045931026db07d58dd58090d629af59ecb7fba353d5d9653a708fbcf0f515c1b82db6b08977179dfc684d22f"
            + "cf7bd5c12222ab63ffd9d2bc46176d144ae98ad93416894822ac5064065f92995a6f052fa3a731703657817ea7a8de73"
            + "148661768f7f62098fb45c0a9dde04a9cf1aa4206f13dd055df3ed5fa681bbf876e362ad9c0a68d2b5266c79aa806cbf"
            + "e6113b0008002a000400000400";
    /** Section 3: the x25519 shared secret. */
    public static final String ECDHE = "1bea3fdfd25f94033804b68997a55d1931dc51124ad7f6e28959bb4672e3bd13";
    /** Section 3: Early Secret without a PSK. */
    public static final String EARLY_SECRET = "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a";
    /** Section 3: Handshake Secret. */
    public static final String HANDSHAKE_SECRET = "f2c66e28ed535dfb8721b7145ca51c8bc058514f79aa881d0d32cbe1341a2e45";
    /** Section 3: Transcript-Hash(ClientHello, ServerHello). */
    public static final String HELLO_HASH = "3d35f3eba0aabf5d9661236e3b5bb938fdc32f409cc27c55499e1f0baa3abd8f";
    /** Section 3: client_handshake_traffic_secret. */
    public static final String C_HS_TRAFFIC = "d7c28b57a857e961b5bf3e1d7b18d02757c4f97acb66a23372e5a7f3d0a71e07";
    /** Section 3: the HkdfLabel of "c hs traffic". */
    public static final String C_HS_TRAFFIC_INFO = ""
            + "002012746c73313320632068732074726166666963203d35f3eba0aabf5d9661236e3b5bb938fdc32f409cc27c55499e"
            + "1f0baa3abd8f";
    /** Section 3: server_handshake_traffic_secret. */
    public static final String S_HS_TRAFFIC = "3031e9c2c26ecc154bc36826e87feeff8f4547df52596747b2dcabf92b18fb59";
    /** Section 3: Master Secret. */
    public static final String MASTER_SECRET = "a12970d9b27a3d59b6ecc1530d284073bd745ddc68d994e7a6ee70881b3d6da6";
    /** Section 3: server handshake write key. */
    public static final String SERVER_HS_KEY = "4d15c00e47317fe99c714f8ebd92c4d1";
    /** Section 3: server handshake write IV. */
    public static final String SERVER_HS_IV = "18223084735f2f2d8588caaa";
    /** Section 3: client handshake write key (server read). */
    public static final String CLIENT_HS_KEY = "947fe41b60fa1bcf942d456268476e8d";
    /** Section 3: client handshake write IV. */
    public static final String CLIENT_HS_IV = "962df1fc720f9574f7d22248";
    /** Section 3: the server finished_key. */
    public static final String SERVER_FINISHED_KEY = "2456e4d4c3cc526cad20c011327277e2b8834df514fa50db921101293cc627a8";
    /** Section 3: the server verify_data. */
    public static final String SERVER_VERIFY_DATA = "4c92b1b256d861a1830167827d3e288d1a76f03484e9ec886d4ff66149cbec2f";
    /** Section 3: client_application_traffic_secret_0. */
    public static final String C_AP_TRAFFIC = "2dca43b0ae13af89e9533d39b65dd25cc22df9e7afcaf082a76895a4da353b50";
    /** Section 3: server_application_traffic_secret_0. */
    public static final String S_AP_TRAFFIC = "49033ff303eef5739d1376cb6d27ebd695733f3c3f617e7fc76d02a6fac6277f";
    /** Section 3: Transcript-Hash through the server Finished. */
    public static final String SERVER_FINISHED_HASH = "b285e2e2beb28adf85ce08112f7c4804cb52347a258edfa9c1bf31f7f808e8ce";
    /** Section 3: exporter_master_secret. */
    public static final String EXPORTER_MASTER = "319b2e433f189fc5a1d81ea369e3af838cbecb0db8fffd5b9ab205afcdb999d9";
    /** Section 3: server application write key. */
    public static final String SERVER_AP_KEY = "bbe6b3fc9c068c6fb331eca8aa919bfd";
    /** Section 3: server application write IV. */
    public static final String SERVER_AP_IV = "8057dc46846821a1bea306e0";
    /** Section 3: the client finished_key. */
    public static final String CLIENT_FINISHED_KEY = "34e8b781a8643a166bc10ec40c6c239f5d76005b35c6f35ff7f01075c36aaa66";
    /** Section 3: the client verify_data. */
    public static final String CLIENT_VERIFY_DATA = "80a2c0d6cbc21078dba30affbf091929278edc832db4bfa1c811c9e8c67da9bb";
    /** Section 3: client application write key. */
    public static final String CLIENT_AP_KEY = "d92b3e9a88ea7fe2ed69aa9c8b629e91";
    /** Section 3: client application write IV. */
    public static final String CLIENT_AP_IV = "37a828161ead2b6813ad0b13";
    /** Section 3: Transcript-Hash through the client Finished. */
    public static final String CLIENT_FINISHED_HASH = "31a6e1ceae1e798050f53cac68662eededafcf279cab1c1838b935ffcebf4275";
    /** Section 3: resumption_master_secret. */
    public static final String RESUMPTION_MASTER = "a34be53b07ab35b8503d7626a7cad4966873ebdea135c4b2e4cd28e4b812ac54";
    /** Section 3: the PSK of the ticket with nonce 00 00. */
    public static final String RESUMPTION_PSK = "cae5ce63ca4b2a7333a7cef44351eea4b6a0b6dabfe52e8fa8828c57602b807c";
    /** Section 3: EncryptedExtensions..Finished as one TLS 1.3 record, server handshake key, sequence 0. */
    public static final String SERVER_FLIGHT_RECORD = ""
            + "17030302a2d86231e399eee4544f58e5c9ff1d0def3baa470ae2ed0b127c5dd471715673cef74b51fecac0d9d347ce9f"
            + "43efe772ad20efddfa5b9a3911760311279599832e856ceba25bdc8071f97228277985b96f4e2b520f48b129bd3f9bb8"
            + "e0ba5ad5cb2513b7d9157fab22fbd5862a8631a194b4ece8e31dade9e6d019d5714833de181192b427a10fe4e929f637"
            + "d55c3ecf0182191dee94df0cdeed15dcc6f114c5abdcc0626356cfe4dcf011022c0e6a2431d688bbc829fa495bcb0e74"
            + "56636b153c9c79a4f8cb083164c5f555ac78b8844a25d8c7b3f40d7226f53e6b6f0976989c70a327b6e7bf5316a20b8d"
            + "e99e25ab7d5e2faba2f53ef8f3713995023e678859cde121cf548625d61fe840f0c5749fc65c984c543a139a3185091a"
            + "eb9eaca24d269a31501cc506bdf9b620994c8dc4bdc977afd9e971fad42eb1c9d05545fc37164a123233e370bb6afef2"
            + "cbf7df710c95a4e20982cca1ebfc67a6ebb82e8ee5910a69ec085598ab497365c408aca90d13feea1d773af9899f9e37"
            + "b74189f711ea08a960810c449c141ab4ee2d4958021050e1bc4347fbfddb90e924752f1df76ed1ce7c0038ce1193b0e7"
            + "2e056c3e330914cbe656b80bbebf0359bf301e06901974baad55765f186c7b1c1304e1101181629351682a0a96e2a844"
            + "2cd65234d55f4dcdc585c3a729aab205590a53a9ce9e4b0e1218f0952cc2806b5f46c59d88a172dac37c9f37afb91cea"
            + "61665324b06d3ce79d7465d323ca9cb4ccd8d8adf21eefde6a24f36fe7e022139285de95dd6283e106773d11d07d9bf2"
            + "7ca9e9953a0c23730b159ff8aa0086d74e0ba5557257c2f308a55ff54c9c48547886f979fa841b8c2d6cd7a14ef642dd"
            + "a832badba34a3554fcd4092d8de04e432ccbdaa4eac28f922a29bd00a7d26f5072a3fa2da1a228394a26a805dee09042"
            + "2794fb1476cff0";
    /** Section 3: the client Finished record, client handshake key, sequence 0. */
    public static final String CLIENT_FINISHED_RECORD = ""
            + "1703030035ed2b5675d3a8b0d0cedd0519d5e7573c4aa061f42daeecca1c5498e1f063a9c6c5f594e3859f568a0bc5ee"
            + "9ee49db23a0999f0aede";
    /** Section 3: NewSessionTicket record, server application key, sequence 0. */
    public static final String NST_RECORD = ""
            + "17030300dec047d7b25ebbc316ebeef66485649f1a3a6c1918b035c183ebde6bd30c2b97f4935e329714bb08af9c6d96"
            + "da3c604443c0dbbeab8beecd90af0c3dbc53ea1c49deeb688f45f0f9e8cceec68ebbadd3a4425938acd99dca9ead9b6f"
            + "6a297a9aa0d9ab910745f6732527817fd4134ac5e99cd6255e2388c89f83646e0e5fbe4044aa5a55a3530ca98ff56eb6"
            + "b1dc685e5660a75a822efae533daed34745608aa9829ba84de3e7c4acfc8094e39d2af817421e55c3aa5d0e1de43c408"
            + "bac9322599ef4e57dfd08a7af0d1186c96e6ac299bd07f5ee5b056831964cb80768ce5";
    /** Section 3: application data the client sends. */
    public static final String CLIENT_APP_PAYLOAD = ""
            + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
            + "3031";
    /** Section 3: that data as a record, client application key, sequence 0. */
    public static final String CLIENT_APP_RECORD = ""
            + "17030300436f75483d5af74e8419fadfd21404a9b5eba36b5170c504366f2da8ddc2bd7bfcaf3cbee33d8c0172f0f848"
            + "5a1fa52d1364257cf5c509eaf35c39189b5278b5861b019f";
    /** Section 3: the same data from the server, server application key, sequence 1. */
    public static final String SERVER_APP_RECORD = ""
            + "1703030043cc8a45078c6c81b7461ff5624f6312aa44c3c101eb700e6248042f40baca0d988fefd11e945d27c7c364b5"
            + "068580571908646e59a85e12690df143671095b3c93d705c";
    /** Section 4: the resumed ClientHello up to its binders. */
    public static final String RESUMED_CH_PREFIX = ""
            + "010001fc0303750e184c0c28d365ffab68b74cb202fdb495ad19f527c6e6cebec35b443b9b3500000613011303130201"
            + "0001cd0000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400"
            + "3300260024001d00205839e32b2b0e47211ff3098d998ed0379a07b299b846585b7fab62c61357d174002a0000002b00"
            + "03020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c"
            + "000240010015005700000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "2900dd00b800b2f35edae4e60404d6f40fa17f000000008393d163fb4f5f105fe2056caeb32ac7007070045931026db0"
            + "7d58dd58090d629af59ecb7fba353d5d9653a708fbcf0f515c1b82db6b08977179dfc684d22fcf7bd5c12222ab63ffd9"
            + "d2bc46176d144ae98ad93416894822ac5064065f92995a6f052fa3a731703657817ea7a8de73148661768f7f62098fb4"
            + "5c0a9dde04a9cf1aa4206f13dd055df3ed5fa681bbf876e362ad9c0a68d2b5266c79aa806cbfe6113b933d0937";
    /** Section 4: Early Secret with the resumption PSK. */
    public static final String RESUMED_EARLY_SECRET = "7926bf246b73dd7cf3aa5a75ec3dc91ae3a234c00565744af51697313a085fff";
    /** Section 4: the hash of the truncated ClientHello. */
    public static final String BINDER_HASH = "6fd17487908d45ca0bb7d5e5a968f94aa43296b3fd578d0c102540c380a23e68";
    /** Section 4: binder_key ("res binder"). */
    public static final String BINDER_KEY = "1748d43e9e7001e862d45add841c85fa07bfdc7c68f099ac4f50735dfa29bfbc";
    /** Section 4: the PSK binder. */
    public static final String BINDER = "718cd8f22e8ed71d1a23f7c88f63d45487afe58157cbc57e66bd1323e41a8cd8";
    /** Section 5: the first ClientHello (x25519 share). */
    public static final String HRR_CH1 = ""
            + "010000b00303c05333f1e168f732427e91815a093c990115f161130c68e9be3e563610ee948700000613011303130201"
            + "0000810000000b0009000006736572766572ff01000100000a00080006001d00170018003300260024001d0020f7dead"
            + "1d79f3fd2379002489bbe689b3b16bbc419c812fa617a6fb0a99a17117002b0003020304000d0020001e040305030603"
            + "020308040805080604010501060102010402050206020202002d00020101001c00024001";
    /** Section 5: the HelloRetryRequest (a ServerHello with the special random). */
    public static final String HRR = ""
            + "020000ac0303cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c00130100008400330002"
            + "0017002c00740072c8a457e4f6d9b8f485a6fbb2000000000944e8ada9c6414d2412d66659d64678003023f9de457f1f"
            + "09e31dd322cfe0dc9147b7dc3ec0c577b010a0b0a8f28784226e0f061797aa37e95da2c006d12af13e0745b0d04918d1"
            + "4d429a0d50808857736687baff6d07c4682a007c62c3cb4afcb3002b00020304";
    /** Section 5: the second ClientHello (P-256 share, cookie). */
    public static final String HRR_CH2 = ""
            + "010001fc0303c05333f1e168f732427e91815a093c990115f161130c68e9be3e563610ee948700000613011303130201"
            + "0001cd0000000b0009000006736572766572ff01000100000a00080006001d001700180033004700450017004104a8d6"
            + "b4fc93bfb595d867814c45689f74708a33714a9340fe795d7958ef47fd56039baa382032f78d4c4bca4f24f65560b53b"
            + "1c076be41bcc099856758545a898002b0003020304000d0020001e040305030603020308040805080604010501060102"
            + "010402050206020202002c00740072c8a457e4f6d9b8f485a6fbb2000000000944e8ada9c6414d2412d66659d6467800"
            + "3023f9de457f1f09e31dd322cfe0dc9147b7dc3ec0c577b010a0b0a8f28784226e0f061797aa37e95da2c006d12af13e"
            + "0745b0d04918d14d429a0d50808857736687baff6d07c4682a007c62c3cb4afcb3002d00020101001c00024001001500"
            + "af0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000000";
    /** Section 5: the ServerHello after the retry. */
    public static final String HRR_SH = ""
            + "020000770303609dd3f4138c66761c3727cd0f34f183b3b9cf192a803901f6daebd0d6f3a00e00130100004f00330045"
            + "00170041045d8b37a392a9a1ffc6edddd6a17292dd97e65d56585f78ee7ee926c59e00eae233d108a2779fb1f09c29c4"
            + "7709da29592e13054f9d53c1d58d806b36da0a2337002b00020304";
    /** Section 5: Transcript-Hash(message_hash, HelloRetryRequest, ClientHello, ServerHello). */
    public static final String HRR_HELLO_HASH = "ca8a72ef2b55549535845527ff145a0a5d97795b238051f55068a5d769a59925";

    private Rfc8448() {
    }
}
