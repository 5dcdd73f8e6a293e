package dev.jrunc.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.graalvm.nativeimage.hosted.Feature;
import org.graalvm.nativeimage.hosted.RuntimeReflection;

/**
 * Native-image build-time feature (never loaded at run time, nor on the JVM): registers every
 * class of jrunc's JSON model for reflection, so that Jackson can bind it in the image. A model
 * class is any class (records, enums, nested and inner classes, custom (de)serializers) whose
 * package starts with {@value #PREFIX} and whose last package segment is {@code model}, e.g.
 * {@code dev.jrunc.spec.model.Spec} or {@code dev.jrunc.state.model.State$Status}. They are found
 * by scanning the image class path (directories and jars), so a new model class needs no config.
 *
 * <p>Each gets its declared and public constructors, methods and fields (queried and invocable /
 * accessible) and its record components. Enabled by {@code -H:Features=} (the Makefile passes it).
 */
public final class ModelReflectionFeature implements Feature {
    static final String PREFIX = "dev.jrunc.";

    @Override
    public String getDescription() {
        return "Registers jrunc's *.model classes (Jackson bindings) for reflection";
    }

    @Override
    public void beforeAnalysis(BeforeAnalysisAccess access) {
        List<String> names = modelClassNames(access.getApplicationClassPath());
        int registered = 0;
        for (String name : names) {
            Class<?> c = access.findClassByName(name);
            if (c == null) {
                throw new IllegalStateException("model class " + name + " is on the class path but cannot be loaded");
            }
            register(c);
            registered++;
        }
        if (Boolean.getBoolean("jrunc.build.verbose")) {
            System.out.println("jrunc: registered " + registered + " model classes for reflection: " + names);
        } else {
            System.out.println("jrunc: registered " + registered + " model classes for reflection");
        }
    }

    static void register(Class<?> c) {
        RuntimeReflection.register(c);
        RuntimeReflection.registerAllDeclaredConstructors(c);
        RuntimeReflection.registerAllConstructors(c);
        RuntimeReflection.registerAllDeclaredMethods(c);
        RuntimeReflection.registerAllMethods(c);
        RuntimeReflection.registerAllDeclaredFields(c);
        RuntimeReflection.registerAllFields(c);
        RuntimeReflection.registerAllDeclaredClasses(c);
        RuntimeReflection.register(c.getDeclaredConstructors());
        RuntimeReflection.register(c.getDeclaredMethods());
        RuntimeReflection.register(c.getDeclaredFields());
        RuntimeReflection.register(c.getConstructors());
        RuntimeReflection.register(c.getMethods());
        RuntimeReflection.register(c.getFields());
        if (c.isRecord()) {
            RuntimeReflection.registerAllRecordComponents(c);
        }
        if (c.isSealed()) {
            RuntimeReflection.registerAllPermittedSubclasses(c);
        }
    }

    /** Binary names of the model classes found in the given class path entries, sorted. */
    public static List<String> modelClassNames(List<Path> classPath) {
        TreeSet<String> names = new TreeSet<>();
        for (Path entry : classPath) {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.walk(entry)) {
                    files.filter(Files::isRegularFile)
                            .map(f -> entry.relativize(f).toString().replace(entry.getFileSystem().getSeparator(), "/"))
                            .forEach(resource -> addIfModel(resource, names));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    jar.stream().map(JarEntry::getName).forEach(resource -> addIfModel(resource, names));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return new ArrayList<>(names);
    }

    private static void addIfModel(String resource, TreeSet<String> names) {
        if (!resource.endsWith(".class") || !resource.startsWith(PREFIX.replace('.', '/'))) {
            return;
        }
        int slash = resource.lastIndexOf('/');
        String pkg = resource.substring(0, slash);
        String simple = resource.substring(slash + 1, resource.length() - ".class".length());
        if (!pkg.endsWith("/model") || simple.equals("package-info") || simple.equals("module-info")) {
            return;
        }
        names.add(pkg.replace('/', '.') + "." + simple);
    }
}
