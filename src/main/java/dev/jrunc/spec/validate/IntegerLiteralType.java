package dev.jrunc.spec.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.keyword.AbstractKeyword;
import com.networknt.schema.keyword.KeywordValidator;
import com.networknt.schema.keyword.TypeValidator;
import com.networknt.schema.utils.JsonType;

/**
 * The {@code type} keyword with draft-04's reading of {@code "integer"}: a number written with a
 * fraction or an exponent ({@code 1.0}, {@code 1e3}) is not an integer.
 *
 * <p>Draft 6 and later define {@code 1.0} to be an integer; the official runtime-spec schemas are
 * draft-04 and reject it, and so does Go's {@code encoding/json} (runc) when it decodes into an
 * integer field. Our schemas are 2020-12, so the 2020-12 dialect we validate with gets this
 * keyword in place of the standard one, which keeps our verdicts equal to the official ones.
 * The distinction relies on the parsed {@link JsonNode}: Jackson gives integral literals integral
 * nodes and any literal with {@code .} or {@code e} a floating-point node.
 */
final class IntegerLiteralType extends AbstractKeyword {

    static final IntegerLiteralType KEYWORD = new IntegerLiteralType();

    private IntegerLiteralType() {
        super("type");
    }

    @Override
    public KeywordValidator newValidator(SchemaLocation location, JsonNode schemaNode, Schema parent,
            SchemaContext context) {
        return new Validator(location, schemaNode, parent, context);
    }

    /** A node that is a number but was not written as an integer literal. */
    static boolean isNonIntegralLiteral(JsonNode node) {
        return node.isNumber() && !node.isIntegralNumber();
    }

    private static final class Validator extends TypeValidator {
        Validator(SchemaLocation location, JsonNode schemaNode, Schema parent, SchemaContext context) {
            super(location, schemaNode, parent, context);
        }

        @Override
        public boolean equalsToSchemaType(JsonNode node, ExecutionContext executionContext) {
            if (getSchemaType() == JsonType.INTEGER && isNonIntegralLiteral(node)) {
                return false;
            }
            return super.equalsToSchemaType(node, executionContext);
        }
    }
}
