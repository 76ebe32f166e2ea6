package io.openvoice.api.openapi;

import java.util.ArrayList;
import java.util.List;

/**
 * Documentation of SIP domains with their users, switches and invites, SIP connections, SIP products, outbound voice
 * profiles and recordings ({@code SipDomainApi}, {@code SipInviteApi}, {@code SipConnectionApi},
 * {@code OutboundVoiceProfileApi}, {@code RecordingApi}).
 */
final class SipDocs {
  private SipDocs() {}

  static final String DOMAIN = "SIP Domain";
  static final String CONNECTION = "SIP Connection";
  static final String RECORDING = "Recordings";
  static final String PROFILE = "Outbound Voice Profile";
  private static final String DOMAIN_NAME = "the domain's name, e.g. acme.sip.example.com";
  private static final String HOST = "^[A-Za-z0-9.-]+$";

  static List<Op> ops() {
    List<Op> ops = new ArrayList<>(domains());
    ops.addAll(invites());
    ops.addAll(connections());
    ops.addAll(profiles());
    ops.addAll(recordings());
    return ops;
  }

  private static List<Op> domains() {
    S refs = S.obj()
        .prop("sip_connection", S.uuid().nullable().desc("a SIP connection of the account (outbound trunk)"))
        .prop("sip_control_app", S.uuid().nullable().desc("an app of the account"))
        .prop("outbound_voice_profile", S.uuid().nullable().desc("an outbound voice profile of the account"));
    S create = S.obj().req("domain", S.str().maxLen(253).pattern(HOST).desc("a host name with at least one dot"))
        .prop("sip_connection", S.uuid().nullable().desc("a SIP connection of the account (outbound trunk)"))
        .prop("sip_control_app", S.uuid().nullable().desc("an app of the account"))
        .prop("outbound_voice_profile", S.uuid().nullable().desc("an outbound voice profile of the account"));
    return List.of(
        Op.get("/rest/sip/domain", "ListSIPDomains").tag(DOMAIN).summary("The account's SIP domains")
            .ok(S.arr(S.ref("SipDomain")), "The domains"),
        Op.post("/rest/sip/domain", "CreateSIPDomain").tag(DOMAIN).summary("Create a SIP domain")
            .body(create, true).created(S.ref("SipDomain"), "The domain").errors(409),
        domainOp(Op.get("/rest/sip/domain/{domain}", "GetSIPDomain")).summary("A SIP domain")
            .ok(S.ref("SipDomain"), "The domain"),
        domainOp(Op.patch("/rest/sip/domain/{domain}", "UpdateSIPDomain")).summary("Change a domain's references")
            .body(refs, false).ok(S.ref("SipDomain"), "The domain"),
        domainOp(Op.delete("/rest/sip/domain/{domain}", "DeleteSIPDomain")).summary("Delete a SIP domain")
            .ok(S.ref("SipDomain"), "The deleted domain"),

        domainOp(Op.get("/rest/sip/domain/{domain}/user", "ListSIPUsers")).summary("A domain's SIP users")
            .ok(S.arr(S.ref("SipUser")), "The users"),
        domainOp(Op.post("/rest/sip/domain/{domain}/user", "CreateSIPUser")).summary("Create a SIP user")
            .body(userBody(true), true).created(S.ref("SipUser"), "The user").errors(409),
        userOp(Op.get("/rest/sip/domain/{domain}/user/{uuid}", "GetSIPUser")).summary("A SIP user")
            .ok(S.ref("SipUser"), "The user"),
        userOp(Op.patch("/rest/sip/domain/{domain}/user/{uuid}", "UpdateSIPUser")).summary("Update a SIP user")
            .desc("Absent fields are kept; a new login needs the password again.")
            .body(userBody(false), false).ok(S.ref("SipUser"), "The user").errors(409),
        userOp(Op.delete("/rest/sip/domain/{domain}/user/{uuid}", "DeleteSIPUser")).summary("Delete a SIP user")
            .ok(S.ref("SipUser"), "The deleted user"),

        domainOp(Op.get("/rest/sip/domain/{domain}/switch", "ListSIPSwitches")).summary("A domain's SIP switches")
            .ok(S.arr(S.ref("SipSwitch")), "The switches"),
        domainOp(Op.post("/rest/sip/domain/{domain}/switch", "CreateSIPSwitch")).summary("Authorise a SIP switch")
            .body(switchBody(true), true).created(S.ref("SipSwitch"), "The switch"),
        switchOp(Op.get("/rest/sip/domain/{domain}/switch/{uuid}", "GetSIPSwitch")).summary("A SIP switch")
            .ok(S.ref("SipSwitch"), "The switch"),
        switchOp(Op.patch("/rest/sip/domain/{domain}/switch/{uuid}", "UpdateSIPSwitch")).summary("Update a SIP switch")
            .body(switchBody(false), false).ok(S.ref("SipSwitch"), "The switch"),
        switchOp(Op.delete("/rest/sip/domain/{domain}/switch/{uuid}", "DeleteSIPSwitch")).summary("Delete a SIP switch")
            .ok(S.ref("SipSwitch"), "The deleted switch"));
  }

  private static List<Op> invites() {
    S name = S.str().minLen(1).maxLen(255);
    S expiry = S.dateTime().desc("ISO-8601 date-time with offset, in the future");
    S token = S.str().pattern("^[A-Za-z0-9_-]{43}$");
    String tokenDesc = "the invite's token";
    return List.of(
        domainOp(Op.get("/rest/sip/domain/{domain}/invite", "ListSIPUserInvites")).summary("A domain's invites")
            .desc("Used invites are gone; expired ones stay until deleted.")
            .ok(S.arr(S.ref("SipUserInvite")), "The invites"),
        domainOp(Op.post("/rest/sip/domain/{domain}/invite", "CreateSIPUserInvite"))
            .summary("Invite someone to register one SIP user of the domain")
            .body(S.obj().req("name", name).req("expired_on", expiry), true)
            .created(S.ref("SipUserInvite"), "The invite with its token"),
        inviteOp(Op.patch("/rest/sip/domain/{domain}/invite/{uuid}", "ModifySIPUserInvite"))
            .summary("Rename an invite or change its expiry (absent fields kept; the token stays)")
            .body(S.obj().prop("name", name).prop("expired_on", expiry), false)
            .ok(S.ref("SipUserInvite"), "The invite"),
        inviteOp(Op.delete("/rest/sip/domain/{domain}/invite/{uuid}", "RemoveSIPUserInvite"))
            .summary("Withdraw an invite").ok(S.ref("SipUserInvite"), "The deleted invite"),
        Op.get("/rest/app/invite/{token}", "CheckSIPDomainByInviteApp").tag(DOMAIN).pub()
            .summary("Check an invite (the token is the credential)")
            .path("token", token, tokenDesc)
            .ok(S.obj().req("uuid", S.uuid()).req("name", S.str()).req("expired_on", S.dateTime())
                .req("sip_domain", S.str().desc("the domain a user would be registered in")),
                "The invite, while it is unused and unexpired").errors(404),
        Op.post("/rest/app/invite/{token}", "RegisterSIPUserByInviteApp").tag(DOMAIN).pub()
            .summary("Register a SIP user with an invite (the token is the credential)")
            .desc("Validated as `POST /rest/sip/domain/{domain}/user`; the invite is used up by the registration "
                + "(a second use is 404); a taken login is 409 and leaves the invite usable.")
            .path("token", token, tokenDesc).body(userBody(true), true)
            .created(S.ref("SipUser"), "The user").errors(404, 409));
  }

  private static Op inviteOp(Op op) {
    return domainOp(op).path("uuid", S.uuid(), "the invite's uuid");
  }

  private static List<Op> profiles() {
    String base = "/rest/profile/outbound_voice";
    String id = "the profile's uuid";
    return List.of(
        Op.get(base, "ListOutboundVoiceProfiles").tag(PROFILE).summary("The account's outbound voice profiles")
            .ok(S.arr(S.ref("OutboundVoiceProfile")), "The profiles, oldest first"),
        Op.post(base, "CreateOutboundVoiceProfile").tag(PROFILE).summary("Create an outbound voice profile")
            .body(profileBody(true), true).created(S.ref("OutboundVoiceProfile"), "The profile"),
        Op.get(base + "/{uuid}", "GetOutboundVoiceProfileByUUID").tag(PROFILE).summary("An outbound voice profile")
            .path("uuid", S.uuid(), id).ok(S.ref("OutboundVoiceProfile"), "The profile").errors(404),
        Op.patch(base + "/{uuid}", "ModifyOutboundVoiceProfile").tag(PROFILE)
            .summary("Update an outbound voice profile (absent fields kept)").path("uuid", S.uuid(), id)
            .body(profileBody(false), false).ok(S.ref("OutboundVoiceProfile"), "The profile").errors(404),
        Op.delete(base + "/{uuid}", "RemoveOutboundVoiceProfileByUUID").tag(PROFILE)
            .summary("Delete an outbound voice profile (taken off the account's domains and connections first)")
            .path("uuid", S.uuid(), id)
            .ok(S.ref("OutboundVoiceProfile"), "The deleted profile").errors(404));
  }

  private static S profileBody(boolean create) {
    S name = S.str().minLen(1).maxLen(255);
    S b = S.obj();
    if (create) b.req("name", name); else b.prop("name", name);
    return b.prop("is_active", S.bool().dflt(true))
        .prop("product", S.oneOf(S.str(), S.obj().req("id", S.str())).nullable()
            .desc("a SIP product id (GET /rest/sip/product), or an object with its id; default: the default product"))
        .prop("tech_prefix", S.str().nullable().pattern("^[0-9#*]{0,15}$"))
        .prop("shaken_sign_policy", S.int32().min(0).max(2).dflt(0).desc("STIR/SHAKEN signing policy"))
        .prop("tn_lease", S.uuid().nullable().desc("a TN lease of the account: the caller id of calls using the profile"))
        .prop("sip_connection", S.uuid().nullable().desc("a SIP connection of the account"));
  }

  private static Op domainOp(Op op) {
    return op.tag(DOMAIN).path("domain", S.str(), DOMAIN_NAME).errors(404);
  }

  private static Op userOp(Op op) {
    return domainOp(op).path("uuid", S.uuid(), "the SIP user's uuid");
  }

  private static Op switchOp(Op op) {
    return domainOp(op).path("uuid", S.uuid(), "the switch's uuid");
  }

  private static S userBody(boolean create) {
    S login = S.str().minLen(1).maxLen(64).pattern("^[A-Za-z0-9._+\\-]+$");
    S password = S.str().minLen(6).maxLen(128);
    S b = S.obj();
    if (create) b.req("login", login).req("password", password);
    else b.prop("login", login).prop("password", password.desc("required when the login changes"));
    return b.prop("first_name", S.str().nullable()).prop("last_name", S.str().nullable())
        .prop("email", S.str().nullable().format("email")).prop("phone_number", S.str().nullable())
        .prop("avatar", S.str().nullable())
        .prop("same_domain_calls_only", S.bool().dflt(false).desc("only users of the same domain may call this user"))
        .prop("dob", S.date().nullable().desc("YYYY-MM-DD"))
        .prop("gender", S.enumOf("Male", "Female", "Other").nullable());
  }

  private static S switchBody(boolean create) {
    S name = S.str().minLen(1).maxLen(255);
    S b = S.obj().desc(create ? "`remote_ip` or `remote_domain` is required" : "Absent fields are kept");
    if (create) b.req("name", name); else b.prop("name", name);
    return b.prop("description", S.str().nullable())
        .prop("remote_ip", S.str().nullable().desc("IP address or CIDR block, e.g. 203.0.113.0/24"))
        .prop("remote_domain", S.str().nullable().pattern(HOST).desc("host name"))
        .prop("is_active", S.bool().dflt(true));
  }

  private static List<Op> connections() {
    String id = "the connection's uuid";
    return List.of(
        Op.get("/rest/sip/product", "ListSIPProducts").tag(CONNECTION).summary("The SIP products")
            .ok(S.arr(S.ref("SipProduct")), "The products"),
        Op.get("/rest/sip/connection/product", "ListSIPProductsOld").tag(CONNECTION)
            .summary("The SIP products (older path)").ok(S.arr(S.ref("SipProduct")), "The products"),
        Op.get("/rest/sip/connection", "ListSIPConnections").tag(CONNECTION).summary("The account's SIP connections")
            .ok(S.arr(S.ref("SipConnection")), "The connections"),
        Op.post("/rest/sip/connection", "CreateSIPConnection").tag(CONNECTION).summary("Create a SIP connection (trunk)")
            .body(connectionBody(true), true).created(S.ref("SipConnection"), "The connection"),
        Op.get("/rest/sip/connection/{uuid}", "GetSIPConnection").tag(CONNECTION).summary("A SIP connection")
            .path("uuid", S.uuid(), id).ok(S.ref("SipConnection"), "The connection").errors(404),
        Op.patch("/rest/sip/connection/{uuid}", "UpdateSIPConnection").tag(CONNECTION)
            .summary("Update a SIP connection (absent fields kept)")
            .path("uuid", S.uuid(), id).body(connectionBody(false), false)
            .ok(S.ref("SipConnection"), "The connection").errors(404),
        Op.delete("/rest/sip/connection/{uuid}", "DeleteSIPConnection").tag(CONNECTION)
            .summary("Delete a SIP connection (its numbers are taken off it first)")
            .path("uuid", S.uuid(), id).ok(S.ref("SipConnection"), "The deleted connection").errors(404),
        Op.get("/rest/sip/connection/{uuid}/tnlease", "ListSIPConnectionLeases").tag(CONNECTION)
            .summary("The numbers on a connection").path("uuid", S.uuid(), id)
            .ok(S.arr(S.ref("Lease")), "The leases").errors(404),
        Op.post("/rest/sip/connection/{uuid}/tnlease", "AssignSIPConnectionLeases").tag(CONNECTION)
            .summary("Put numbers on a connection, or take them off").path("uuid", S.uuid(), id)
            .body(AppCallDocs.assignBody(), true)
            .ok(S.arr(S.uuid()), "The uuids of the updated leases, in request order").errors(404));
  }

  private static S connectionBody(boolean create) {
    S name = S.str().minLen(1).maxLen(255);
    S b = S.obj().desc(create ? "`ip` or `hostname` is required" : "Absent fields are kept");
    if (create) b.req("name", name); else b.prop("name", name);
    return b
        .prop("ip", S.str().nullable().format("ipv4").minLen(7).maxLen(15))
        .prop("hostname", S.str().nullable().pattern(HOST).maxLen(253))
        .prop("port", S.oneOf(S.int32().min(1024).max(65535), S.str().pattern("^[0-9]{1,5}$"))
            .dflt(5060).desc("1024..65535, a number or a numeric string"))
        .prop("transport", S.enumOf("udp", "tcp").dflt("udp").desc("case-insensitive"))
        .prop("product", S.oneOf(S.str(), S.obj().req("id", S.str())).nullable()
            .desc("a SIP product id (GET /rest/sip/product), or an object with its id; default: the default product"))
        .prop("tech_prefix", S.str().nullable().pattern("^[0-9#*]{0,15}$"))
        .prop("outbound_voice_profile", S.uuid().nullable().desc("an outbound voice profile of the account"))
        .prop("subdomain", S.str().nullable())
        .prop("class4_ingress_trunk_settings", S.obj().nullable().additional(S.any()).desc("kept as sent"))
        .prop("class4_egress_trunk_settings", S.obj().nullable().additional(S.any()).desc("kept as sent"))
        .prop("is_active", S.bool().dflt(true));
  }

  private static List<Op> recordings() {
    String id = "the recording's uuid";
    return List.of(
        Op.get("/rest/recording/{uuid}", "GetRecording").tag(RECORDING).summary("A recording's metadata")
            .path("uuid", S.uuid(), id).ok(S.ref("Recording"), "The recording").errors(404),
        Op.get("/rest/recording/{uuid}/download", "DownloadRecording").tag(RECORDING)
            .summary("Download a recording (WAV, no envelope)")
            .desc("A plain authenticated route, so a call_record event's link works with `?bearer=` or `?jwt=`.")
            .path("uuid", S.uuid(), id).raw(200, "audio/wav", S.binary(), "The WAV file").errors(404),
        Op.delete("/rest/recording/{uuid}", "DeleteRecording").tag(RECORDING).summary("Delete a recording")
            .path("uuid", S.uuid(), id).ok(S.ref("Recording"), "The deleted recording").errors(404),
        Op.get("/rest/call/{uuid}/recording", "ListCallRecordings").tag(RECORDING).summary("A call's recordings")
            .path("uuid", S.uuid(), "the call's uuid").ok(S.arr(S.ref("Recording")), "The recordings").errors(404));
  }
}
