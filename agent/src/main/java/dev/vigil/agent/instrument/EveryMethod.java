package dev.vigil.agent.instrument;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;

/**
 * Wraps the visitor of every method of a class (constructors and the type initializer included)
 * straight from the class file's {@code visitMethod}: what {@code AsmVisitorWrapper.ForDeclaredMethods}
 * with {@code invokable(any(), ...)} does, without building a description and a descriptor string
 * for every method of every class first (a quarter of the agent's allocation at a Spring Boot
 * service's start, five times per class: one per primitive family).
 */
final class EveryMethod extends AsmVisitorWrapper.AbstractBase {

    /** Makes the visitor of one method. */
    interface Factory {
        /**
         * @param className the class's binary name ({@code a.b.C$D})
         * @param name      the method's name ({@code <init>}, {@code <clinit>} included)
         */
        MethodVisitor visitor(MethodVisitor next, String className, int access, String name, String descriptor);
    }

    private final Factory factory;

    EveryMethod(Factory factory) {
        this.factory = factory;
    }

    @Override
    public int mergeWriter(int flags) {
        return flags | ClassWriter.COMPUTE_MAXS;
    }

    @Override
    public ClassVisitor wrap(TypeDescription instrumentedType, ClassVisitor classVisitor,
                             Implementation.Context implementationContext, TypePool typePool,
                             FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> methods,
                             int writerFlags, int readerFlags) {
        String className = instrumentedType.getName();
        return new ClassVisitor(Opcodes.ASM9, classVisitor) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                return mv == null ? null : factory.visitor(mv, className, access, name, descriptor);
            }
        };
    }
}
