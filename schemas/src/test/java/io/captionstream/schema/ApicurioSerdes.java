package io.captionstream.schema;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Apicurio's own JSON Schema serdes (io.apicurio:apicurio-registry-jsonschema-serde-kafka), the independent
 * implementation of the Confluent wire format used by the cross-check. They need json-schema-validator 1.x while our
 * code uses 2.x (same Maven coordinates, incompatible API), so every {@code io.apicurio.*} and {@code com.networknt.*}
 * class is loaded child-first from the Apicurio jars plus the 1.x validator that the build copies to
 * {@code apicurio.isolated.dir}; Kafka, Jackson and the rest come from the test class path.
 */
final class ApicurioSerdes implements AutoCloseable {

  private static final List<String> CHILD_FIRST = List.of("io.apicurio.", "com.networknt.");

  private final URLClassLoader loader;

  ApicurioSerdes() {
    List<URL> urls = new ArrayList<>();
    String isolatedDir = System.getProperty("apicurio.isolated.dir", "target/apicurio-isolated");
    try (Stream<Path> jars = Files.list(Path.of(isolatedDir))) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        urls.add(jar.toUri().toURL());
      }
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        if (Path.of(entry).getFileName().toString().startsWith("apicurio-registry-")) {
          urls.add(Path.of(entry).toUri().toURL());
        }
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("run through failsafe (it copies the 1.x validator to " + isolatedDir + ")", e);
    }
    if (urls.stream().noneMatch(u -> u.getPath().contains("json-schema-validator-1."))) {
      throw new IllegalStateException("json-schema-validator 1.x missing from " + isolatedDir);
    }
    this.loader = new ChildFirstLoader(urls.toArray(URL[]::new), ApicurioSerdes.class.getClassLoader());
  }

  /** Apicurio's JsonSchemaKafkaSerializer, configured for values. */
  @SuppressWarnings("unchecked")
  <T> Serializer<T> serializer(Map<String, ?> config) {
    return withLoader(() -> {
      Serializer<T> s = (Serializer<T>) instantiate("io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer");
      s.configure(config, false);
      return s;
    });
  }

  /** Apicurio's JsonSchemaKafkaDeserializer, configured for values. */
  @SuppressWarnings("unchecked")
  <T> Deserializer<T> deserializer(Map<String, ?> config) {
    return withLoader(() -> {
      Deserializer<T> d =
          (Deserializer<T>) instantiate("io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaDeserializer");
      d.configure(config, false);
      return d;
    });
  }

  /** Runs {@code call} with the isolated loader as the thread's context class loader (Apicurio loads by name). */
  <R> R withLoader(Supplier<R> call) {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    t.setContextClassLoader(loader);
    try {
      return call.get();
    } finally {
      t.setContextClassLoader(before);
    }
  }

  private Object instantiate(String className) {
    try {
      return loader.loadClass(className).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + className, e);
    }
  }

  @Override
  public void close() throws IOException {
    loader.close();
  }

  private static final class ChildFirstLoader extends URLClassLoader {
    ChildFirstLoader(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (CHILD_FIRST.stream().noneMatch(name::startsWith)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try {
            c = findClass(name);
          } catch (ClassNotFoundException e) {
            c = super.loadClass(name, false);
          }
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    @Override
    public URL getResource(String name) {
      URL own = findResource(name);
      return own != null ? own : super.getResource(name);
    }
  }
}
