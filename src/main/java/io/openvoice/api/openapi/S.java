package io.openvoice.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON Schema (OpenAPI 3.0 subset) under construction: {@code S.str().maxLen(255)},
 * {@code S.obj().req("name", S.str()).prop("is_active", S.bool().dflt(true))}, {@code S.ref("App")}.
 * Each modifier changes this schema and returns it.
 */
public final class S {
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ObjectNode n = F.objectNode();

  private S() {}

  private static S typed(String type) {
    S s = new S();
    s.n.put("type", type);
    return s;
  }

  public static S str() { return typed("string"); }
  public static S int32() { return typed("integer").format("int32"); }
  public static S int64() { return typed("integer").format("int64"); }
  public static S num() { return typed("number"); }
  public static S bool() { return typed("boolean"); }
  public static S obj() { return typed("object"); }
  public static S uuid() { return str().format("uuid"); }
  public static S dateTime() { return str().format("date-time"); }
  public static S date() { return str().format("date"); }
  public static S uri() { return str().format("uri"); }
  public static S binary() { return str().format("binary"); }

  /** Any JSON value (the empty schema). */
  public static S any() { return new S(); }

  /** An array of {@code items}. */
  public static S arr(S items) {
    S s = typed("array");
    s.n.set("items", items.node());
    return s;
  }

  /** A reference to {@code #/components/schemas/name}. */
  public static S ref(String name) {
    S s = new S();
    s.n.put("$ref", "#/components/schemas/" + name);
    return s;
  }

  public static S allOf(S... parts) { return combine("allOf", parts); }
  public static S oneOf(S... parts) { return combine("oneOf", parts); }

  private static S combine(String kw, S... parts) {
    S s = new S();
    ArrayNode a = s.n.putArray(kw);
    for (S p : parts) a.add(p.node());
    return s;
  }

  /** A string with these values only. */
  public static S enumOf(String... values) {
    return str().enums(values);
  }

  public S desc(String d) { wrapRef(); n.put("description", d); return this; }
  public S format(String f) { n.put("format", f); return this; }
  public S pattern(String p) { n.put("pattern", p); return this; }
  public S minLen(int v) { n.put("minLength", v); return this; }
  public S maxLen(int v) { n.put("maxLength", v); return this; }
  public S min(long v) { n.put("minimum", v); return this; }
  public S max(long v) { n.put("maximum", v); return this; }
  public S minItems(int v) { n.put("minItems", v); return this; }

  /** Also {@code null}; a {@code $ref} is wrapped in {@code allOf} first (3.0 ignores siblings of {@code $ref}). */
  public S nullable() { wrapRef(); n.put("nullable", true); return this; }

  public S enums(String... values) {
    ArrayNode a = n.putArray("enum");
    for (String v : values) a.add(v);
    return this;
  }

  public S dflt(Object v) { wrapRef(); n.set("default", json(v)); return this; }
  public S example(Object v) { wrapRef(); n.set("example", json(v)); return this; }

  /** An optional property of this object. */
  public S prop(String name, S schema) {
    ObjectNode props = n.has("properties") ? (ObjectNode) n.get("properties") : n.putObject("properties");
    props.set(name, schema.node());
    return this;
  }

  /** A required property of this object. */
  public S req(String name, S schema) {
    prop(name, schema);
    ArrayNode r = n.has("required") ? (ArrayNode) n.get("required") : n.putArray("required");
    r.add(name);
    return this;
  }

  /** Values of the object's other keys. */
  public S additional(S schema) { n.set("additionalProperties", schema.node()); return this; }

  public ObjectNode node() { return n; }

  private void wrapRef() {
    if (!n.has("$ref")) return;
    ObjectNode wrapped = F.objectNode();
    wrapped.putArray("allOf").add(n);
    n = wrapped;
  }

  static JsonNode json(Object v) {
    if (v == null) return F.nullNode();
    if (v instanceof JsonNode j) return j;
    if (v instanceof Boolean b) return F.booleanNode(b);
    if (v instanceof Integer i) return F.numberNode(i);
    if (v instanceof Long l) return F.numberNode(l);
    if (v instanceof Double d) return F.numberNode(d);
    return F.textNode(v.toString());
  }
}
