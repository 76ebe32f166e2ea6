package io.openvoice.connection;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SIP products of this platform (config {@code openvoice.sip.products}); the first is the default. */
public final class SipProducts {
  public record Product(String id, String name, String description, String type, String techPrefix) {}

  private final List<Product> products;

  public SipProducts(List<Product> products) {
    if (products.isEmpty()) throw new IllegalArgumentException("openvoice.sip.products needs at least one product");
    this.products = List.copyOf(products);
  }

  public static SipProducts fromConfig(Config sip) {
    List<Product> out = new ArrayList<>();
    for (Config c : sip.getConfigList("products")) {
      out.add(new Product(c.getString("id"), c.getString("name"),
          c.hasPath("description") ? c.getString("description") : "",
          c.hasPath("type") ? c.getString("type") : "public",
          c.hasPath("tech-prefix") ? c.getString("tech-prefix") : ""));
    }
    return new SipProducts(out);
  }

  public List<Product> all() {
    return products;
  }

  public Product defaultProduct() {
    return products.get(0);
  }

  public Optional<Product> byId(String id) {
    return products.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /** The prefix dialled before a number on {@code c}: its own, else its product's, else none. */
  public String techPrefix(SipConnectionEntity.Connection c) {
    if (c.techPrefix() != null) return c.techPrefix();
    return byId(c.product()).map(Product::techPrefix).orElse("");
  }
}
