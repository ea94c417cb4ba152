/** The events service model for the operations the emulator serves, extracted from botocore by extract.ts (do not edit). */
import type { ServiceModel } from '../model.js';

export const model: ServiceModel = {
 "service": "events",
 "protocol": "json",
 "signingName": "events",
 "targetPrefix": "AWSEvents",
 "apiVersion": "2015-10-07",
 "operations": {
  "CreateConnection": {
   "method": "POST",
   "uri": "/",
   "input": "CreateConnectionRequest",
   "output": "CreateConnectionResponse",
   "errors": [
    "ResourceAlreadyExistsException",
    "LimitExceededException",
    "ResourceNotFoundException",
    "InternalException",
    "AccessDeniedException",
    "ThrottlingException"
   ]
  },
  "DescribeConnection": {
   "method": "POST",
   "uri": "/",
   "input": "DescribeConnectionRequest",
   "output": "DescribeConnectionResponse",
   "errors": [
    "ResourceNotFoundException",
    "InternalException"
   ]
  },
  "ListConnections": {
   "method": "POST",
   "uri": "/",
   "input": "ListConnectionsRequest",
   "output": "ListConnectionsResponse",
   "errors": [
    "InternalException"
   ]
  },
  "UpdateConnection": {
   "method": "POST",
   "uri": "/",
   "input": "UpdateConnectionRequest",
   "output": "UpdateConnectionResponse",
   "errors": [
    "ConcurrentModificationException",
    "ResourceNotFoundException",
    "InternalException",
    "LimitExceededException",
    "AccessDeniedException",
    "ThrottlingException"
   ]
  },
  "DeleteConnection": {
   "method": "POST",
   "uri": "/",
   "input": "DeleteConnectionRequest",
   "output": "DeleteConnectionResponse",
   "errors": [
    "ConcurrentModificationException",
    "ResourceNotFoundException",
    "InternalException"
   ]
  },
  "DeauthorizeConnection": {
   "method": "POST",
   "uri": "/",
   "input": "DeauthorizeConnectionRequest",
   "output": "DeauthorizeConnectionResponse",
   "errors": [
    "ConcurrentModificationException",
    "ResourceNotFoundException",
    "InternalException"
   ]
  }
 },
 "shapes": {
  "AccessDeniedException": {
   "type": "structure",
   "exception": true,
   "members": {}
  },
  "AuthHeaderParameters": {
   "type": "string",
   "min": 1,
   "max": 512,
   "pattern": "^[ \\t]*[^\\x00-\\x1F:\\x7F]+([ \\t]+[^\\x00-\\x1F:\\x7F]+)*[ \\t]*$"
  },
  "AuthHeaderParametersSensitive": {
   "type": "string",
   "min": 1,
   "max": 512,
   "pattern": "^[ \\t]*[^\\x00-\\x1F:\\x7F]+([ \\t]+[^\\x00-\\x1F:\\x7F]+)*[ \\t]*$",
   "sensitive": true
  },
  "Boolean": {
   "type": "boolean"
  },
  "ConcurrentModificationException": {
   "type": "structure",
   "exception": true,
   "members": {}
  },
  "Connection": {
   "type": "structure",
   "members": {
    "ConnectionArn": {
     "shape": "ConnectionArn"
    },
    "Name": {
     "shape": "ConnectionName"
    },
    "ConnectionState": {
     "shape": "ConnectionState"
    },
    "StateReason": {
     "shape": "ConnectionStateReason"
    },
    "AuthorizationType": {
     "shape": "ConnectionAuthorizationType"
    },
    "CreationTime": {
     "shape": "Timestamp"
    },
    "LastModifiedTime": {
     "shape": "Timestamp"
    },
    "LastAuthorizedTime": {
     "shape": "Timestamp"
    }
   }
  },
  "ConnectionApiKeyAuthResponseParameters": {
   "type": "structure",
   "members": {
    "ApiKeyName": {
     "shape": "AuthHeaderParameters"
    }
   }
  },
  "ConnectionArn": {
   "type": "string",
   "min": 1,
   "max": 1600,
   "pattern": "^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:([0-9]{12})?:connection\\/[\\.\\-_A-Za-z0-9]+\\/[\\-A-Za-z0-9]+$"
  },
  "ConnectionAuthResponseParameters": {
   "type": "structure",
   "members": {
    "BasicAuthParameters": {
     "shape": "ConnectionBasicAuthResponseParameters"
    },
    "OAuthParameters": {
     "shape": "ConnectionOAuthResponseParameters"
    },
    "ApiKeyAuthParameters": {
     "shape": "ConnectionApiKeyAuthResponseParameters"
    },
    "InvocationHttpParameters": {
     "shape": "ConnectionHttpParameters"
    },
    "ConnectivityParameters": {
     "shape": "DescribeConnectionConnectivityParameters"
    }
   }
  },
  "ConnectionAuthorizationType": {
   "type": "string",
   "enum": [
    "BASIC",
    "OAUTH_CLIENT_CREDENTIALS",
    "API_KEY"
   ]
  },
  "ConnectionBasicAuthResponseParameters": {
   "type": "structure",
   "members": {
    "Username": {
     "shape": "AuthHeaderParameters"
    }
   }
  },
  "ConnectionBodyParameter": {
   "type": "structure",
   "members": {
    "Key": {
     "shape": "String"
    },
    "Value": {
     "shape": "SensitiveString"
    },
    "IsValueSecret": {
     "shape": "Boolean"
    }
   }
  },
  "ConnectionBodyParametersList": {
   "type": "list",
   "min": 0,
   "max": 100,
   "member": "ConnectionBodyParameter"
  },
  "ConnectionDescription": {
   "type": "string",
   "max": 512,
   "pattern": ".*"
  },
  "ConnectionHeaderParameter": {
   "type": "structure",
   "members": {
    "Key": {
     "shape": "HeaderKey"
    },
    "Value": {
     "shape": "HeaderValueSensitive"
    },
    "IsValueSecret": {
     "shape": "Boolean"
    }
   }
  },
  "ConnectionHeaderParametersList": {
   "type": "list",
   "min": 0,
   "max": 100,
   "member": "ConnectionHeaderParameter"
  },
  "ConnectionHttpParameters": {
   "type": "structure",
   "members": {
    "HeaderParameters": {
     "shape": "ConnectionHeaderParametersList"
    },
    "QueryStringParameters": {
     "shape": "ConnectionQueryStringParametersList"
    },
    "BodyParameters": {
     "shape": "ConnectionBodyParametersList"
    }
   }
  },
  "ConnectionName": {
   "type": "string",
   "min": 1,
   "max": 64,
   "pattern": "[\\.\\-_A-Za-z0-9]+"
  },
  "ConnectionOAuthClientResponseParameters": {
   "type": "structure",
   "members": {
    "ClientID": {
     "shape": "AuthHeaderParameters"
    }
   }
  },
  "ConnectionOAuthHttpMethod": {
   "type": "string",
   "enum": [
    "GET",
    "POST",
    "PUT"
   ]
  },
  "ConnectionOAuthResponseParameters": {
   "type": "structure",
   "members": {
    "ClientParameters": {
     "shape": "ConnectionOAuthClientResponseParameters"
    },
    "AuthorizationEndpoint": {
     "shape": "HttpsEndpoint"
    },
    "HttpMethod": {
     "shape": "ConnectionOAuthHttpMethod"
    },
    "OAuthHttpParameters": {
     "shape": "ConnectionHttpParameters"
    }
   }
  },
  "ConnectionQueryStringParameter": {
   "type": "structure",
   "members": {
    "Key": {
     "shape": "QueryStringKey"
    },
    "Value": {
     "shape": "QueryStringValueSensitive"
    },
    "IsValueSecret": {
     "shape": "Boolean"
    }
   }
  },
  "ConnectionQueryStringParametersList": {
   "type": "list",
   "min": 0,
   "max": 100,
   "member": "ConnectionQueryStringParameter"
  },
  "ConnectionResponseList": {
   "type": "list",
   "member": "Connection"
  },
  "ConnectionState": {
   "type": "string",
   "enum": [
    "CREATING",
    "UPDATING",
    "DELETING",
    "AUTHORIZED",
    "DEAUTHORIZED",
    "AUTHORIZING",
    "DEAUTHORIZING",
    "ACTIVE",
    "FAILED_CONNECTIVITY"
   ]
  },
  "ConnectionStateReason": {
   "type": "string",
   "max": 512,
   "pattern": ".*"
  },
  "ConnectivityResourceConfigurationArn": {
   "type": "structure",
   "required": [
    "ResourceConfigurationArn"
   ],
   "members": {
    "ResourceConfigurationArn": {
     "shape": "ResourceConfigurationArn"
    }
   }
  },
  "ConnectivityResourceParameters": {
   "type": "structure",
   "required": [
    "ResourceParameters"
   ],
   "members": {
    "ResourceParameters": {
     "shape": "ConnectivityResourceConfigurationArn"
    }
   }
  },
  "CreateConnectionApiKeyAuthRequestParameters": {
   "type": "structure",
   "required": [
    "ApiKeyName",
    "ApiKeyValue"
   ],
   "members": {
    "ApiKeyName": {
     "shape": "AuthHeaderParameters"
    },
    "ApiKeyValue": {
     "shape": "AuthHeaderParametersSensitive"
    }
   }
  },
  "CreateConnectionAuthRequestParameters": {
   "type": "structure",
   "members": {
    "BasicAuthParameters": {
     "shape": "CreateConnectionBasicAuthRequestParameters"
    },
    "OAuthParameters": {
     "shape": "CreateConnectionOAuthRequestParameters"
    },
    "ApiKeyAuthParameters": {
     "shape": "CreateConnectionApiKeyAuthRequestParameters"
    },
    "InvocationHttpParameters": {
     "shape": "ConnectionHttpParameters"
    },
    "ConnectivityParameters": {
     "shape": "ConnectivityResourceParameters"
    }
   }
  },
  "CreateConnectionBasicAuthRequestParameters": {
   "type": "structure",
   "required": [
    "Username",
    "Password"
   ],
   "members": {
    "Username": {
     "shape": "AuthHeaderParameters"
    },
    "Password": {
     "shape": "AuthHeaderParametersSensitive"
    }
   }
  },
  "CreateConnectionOAuthClientRequestParameters": {
   "type": "structure",
   "required": [
    "ClientID",
    "ClientSecret"
   ],
   "members": {
    "ClientID": {
     "shape": "AuthHeaderParameters"
    },
    "ClientSecret": {
     "shape": "AuthHeaderParametersSensitive"
    }
   }
  },
  "CreateConnectionOAuthRequestParameters": {
   "type": "structure",
   "required": [
    "ClientParameters",
    "AuthorizationEndpoint",
    "HttpMethod"
   ],
   "members": {
    "ClientParameters": {
     "shape": "CreateConnectionOAuthClientRequestParameters"
    },
    "AuthorizationEndpoint": {
     "shape": "HttpsEndpoint"
    },
    "HttpMethod": {
     "shape": "ConnectionOAuthHttpMethod"
    },
    "OAuthHttpParameters": {
     "shape": "ConnectionHttpParameters"
    }
   }
  },
  "CreateConnectionRequest": {
   "type": "structure",
   "required": [
    "Name",
    "AuthorizationType",
    "AuthParameters"
   ],
   "members": {
    "Name": {
     "shape": "ConnectionName"
    },
    "Description": {
     "shape": "ConnectionDescription"
    },
    "AuthorizationType": {
     "shape": "ConnectionAuthorizationType"
    },
    "AuthParameters": {
     "shape": "CreateConnectionAuthRequestParameters"
    },
    "InvocationConnectivityParameters": {
     "shape": "ConnectivityResourceParameters"
    },
    "KmsKeyIdentifier": {
     "shape": "KmsKeyIdentifier"
    }
   }
  },
  "CreateConnectionResponse": {
   "type": "structure",
   "members": {
    "ConnectionArn": {
     "shape": "ConnectionArn"
    },
    "ConnectionState": {
     "shape": "ConnectionState"
    },
    "CreationTime": {
     "shape": "Timestamp"
    },
    "LastModifiedTime": {
     "shape": "Timestamp"
    }
   }
  },
  "DeauthorizeConnectionRequest": {
   "type": "structure",
   "required": [
    "Name"
   ],
   "members": {
    "Name": {
     "shape": "ConnectionName"
    }
   }
  },
  "DeauthorizeConnectionResponse": {
   "type": "structure",
   "members": {
    "ConnectionArn": {
     "shape": "ConnectionArn"
    },
    "ConnectionState": {
     "shape": "ConnectionState"
    },
    "CreationTime": {
     "shape": "Timestamp"
    },
    "LastModifiedTime": {
     "shape": "Timestamp"
    },
    "LastAuthorizedTime": {
     "shape": "Timestamp"
    }
   }
  },
  "DeleteConnectionRequest": {
   "type": "structure",
   "required": [
    "Name"
   ],
   "members": {
    "Name": {
     "shape": "ConnectionName"
    }
   }
  },
  "DeleteConnectionResponse": {
   "type": "structure",
   "members": {
    "ConnectionArn": {
     "shape": "ConnectionArn"
    },
    "ConnectionState": {
     "shape": "ConnectionState"
    },
    "CreationTime": {
     "shape": "Timestamp"
    },
    "LastModifiedTime": {
     "shape": "Timestamp"
    },
    "LastAuthorizedTime": {
     "shape": "Timestamp"
    }
   }
  },
  "DescribeConnectionConnectivityParameters": {
   "type": "structure",
   "required": [
    "ResourceParameters"
   ],
   "members": {
    "ResourceParameters": {
     "shape": "DescribeConnectionResourceParameters"
    }
   }
  },
  "DescribeConnectionRequest": {
   "type": "structure",
   "required": [
    "Name"
   ],
   "members": {
    "Name": {
     "shape": "ConnectionName"
    }
   }
  },
  "DescribeConnectionResourceParameters": {
   "type": "structure",
   "required": [
    "ResourceConfigurationArn",
    "ResourceAssociationArn"
   ],
   "members": {
    "ResourceConfigurationArn": {
     "shape": "ResourceConfigurationArn"
    },
    "ResourceAssociationArn": {
     "shape": "ResourceAssociationArn"
    }
   }
  },
  "DescribeConnectionResponse": {
   "type": "structure",
   "members": {
    "ConnectionArn": {
     "shape": "ConnectionArn"
    },
    "Name": {
     "shape": "ConnectionName"
    },
    "Description": {
     "shape": "ConnectionDescription"
    },
    "InvocationConnectivityParameters": {
     "shape": "DescribeConnectionConnectivityParameters"
    },
    "ConnectionState": {
     "shape": "ConnectionState"
    },
    "StateReason": {
     "shape": "ConnectionStateReason"
    },
    "AuthorizationType": {
     "shape": "ConnectionAuthorizationType"
    },
    "SecretArn": {
     "shape": "SecretsManagerSecretArn"
    },
    "KmsKeyIdentifier": {
     "shape": "KmsKeyIdentifier"
    },
    "AuthParameters": {
     "shape": "ConnectionAuthResponseParameters"
    },
    "CreationTime": {
     "shape": "Timestamp"
    },
    "LastModifiedTime": {
     "shape": "Timestamp"
    },
    "LastAuthorizedTime": {
     "shape": "Timestamp"
    }
   }
  },
  "HeaderKey": {
   "type": "string",
   "max": 512,
   "pattern": "^[!#$%&'*+-.^_`|~0-9a-zA-Z]+$"
  },
  "HeaderValueSensitive": {
   "type": "string",
   "max": 512,
   "pattern": "^[ \\t]*[\\x20-\\x7E]+([ \\t]+[\\x20-\\x7E]+)*[ \\t]*$",
   "sensitive": true
  },
  "HttpsEndpoint": {
   "type": "string",
   "min": 1,
   "max": 2048,
   "pattern": "^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@\\x26=+$,A-Za-z0-9])+)([).!';/?:,])?$"
  },
  "InternalException": {
   "type": "structure",
   "exception": true,
   "fault": true,
   "members": {}
  },
  "KmsKeyIdentifier": {
   "type": "string",
   "max": 2048,
   "pattern": "^[a-zA-Z0-9_\\-/:]*$"
  },
  "LimitExceededException": {
   "type": "structure",
   "exception": true,
   "members": {}
  },
  "LimitMax100": {
   "type": "integer",
   "min": 1,
   "max": 100
  },
  "ListConnectionsRequest": {
   "type": "structure",
   "members": {
    "NamePrefix": {
     "shape": "ConnectionName"
    },
    "ConnectionState": {
     "shape": "ConnectionState"
    },
    "NextToken": {
     "shape": "NextToken"
    },
    "Limit": {
     "shape": "LimitMax100"
    }
   }
  },
  "ListConnectionsResponse": {
   "type": "structure",
   "members": {
    "Connections": {
     "shape": "ConnectionResponseList"
    },
    "NextToken": {
     "shape": "NextToken"
    }
   }
  },
  "NextToken": {
   "type": "string",
   "min": 1,
   "max": 2048
  },
  "QueryStringKey": {
   "type": "string",
   "max": 512,
   "pattern": "[^\\x00-\\x1F\\x7F]+"
  },
  "QueryStringValueSensitive": {
   "type": "string",
   "max": 512,
   "pattern": "[^\\x00-\\x09\\x0B\\x0C\\x0E-\\x1F\\x7F]+",
   "sensitive": true
  },
  "ResourceAlreadyExistsException": {
   "type": "structure",
   "exception": true,
   "members": {}
  },
  "ResourceAssociationArn": {
   "type": "string",
   "min": 17,
   "max": 2048,
   "pattern": "^arn:[a-z0-9\\-]+:vpc-lattice:[a-zA-Z0-9\\-]+:\\d{12}:servicenetworkresourceassociation/snra-[0-9a-z]{17}$"
  },
  "ResourceConfigurationArn": {
   "type": "string",
   "min": 0,
   "max": 2048,
   "pattern": "^(?:^arn:[a-z0-9\\-]+:vpc-lattice:[a-zA-Z0-9\\-]+:\\d{12}:resourceconfiguration/rcfg-[0-9a-z]{17}$|^$)"
  },
  "ResourceNotFoundException": {
   "type": "structure",
   "exception": true,
   "members": {}
  },
  "SecretsManagerSecretArn": {
   "type": "string",
   "min": 20,
   "max": 2048,
   "pattern": "^arn:aws([a-z]|\\-)*:secretsmanager:([a-z]|\\d|\\-)*:([0-9]{12})?:secret:[\\/_+=\\.@\\-A-Za-z0-9!]+$"
  },
  "SensitiveString": {
   "type": "string",
   "sensitive": true
  },
  "String": {
   "type": "string"
  },
  "ThrottlingException": {
   "type": "structure",
   "exception": true,
   "members": {}
  },
  "Timestamp": {
   "type": "timestamp"
  },
  "UpdateConnectionApiKeyAuthRequestParameters": {
   "type": "structure",
   "members": {
    "ApiKeyName": {
     "shape": "AuthHeaderParameters"
    },
    "ApiKeyValue": {
     "shape": "AuthHeaderParametersSensitive"
    }
   }
  },
  "UpdateConnectionAuthRequestParameters": {
   "type": "structure",
   "members": {
    "BasicAuthParameters": {
     "shape": "UpdateConnectionBasicAuthRequestParameters"
    },
    "OAuthParameters": {
     "shape": "UpdateConnectionOAuthRequestParameters"
    },
    "ApiKeyAuthParameters": {
     "shape": "UpdateConnectionApiKeyAuthRequestParameters"
    },
    "InvocationHttpParameters": {
     "shape": "ConnectionHttpParameters"
    },
    "ConnectivityParameters": {
     "shape": "ConnectivityResourceParameters"
    }
   }
  },
  "UpdateConnectionBasicAuthRequestParameters": {
   "type": "structure",
   "members": {
    "Username": {
     "shape": "AuthHeaderParameters"
    },
    "Password": {
     "shape": "AuthHeaderParametersSensitive"
    }
   }
  },
  "UpdateConnectionOAuthClientRequestParameters": {
   "type": "structure",
   "members": {
    "ClientID": {
     "shape": "AuthHeaderParameters"
    },
    "ClientSecret": {
     "shape": "AuthHeaderParametersSensitive"
    }
   }
  },
  "UpdateConnectionOAuthRequestParameters": {
   "type": "structure",
   "members": {
    "ClientParameters": {
     "shape": "UpdateConnectionOAuthClientRequestParameters"
    },
    "AuthorizationEndpoint": {
     "shape": "HttpsEndpoint"
    },
    "HttpMethod": {
     "shape": "ConnectionOAuthHttpMethod"
    },
    "OAuthHttpParameters": {
     "shape": "ConnectionHttpParameters"
    }
   }
  },
  "UpdateConnectionRequest": {
   "type": "structure",
   "required": [
    "Name"
   ],
   "members": {
    "Name": {
     "shape": "ConnectionName"
    },
    "Description": {
     "shape": "ConnectionDescription"
    },
    "AuthorizationType": {
     "shape": "ConnectionAuthorizationType"
    },
    "AuthParameters": {
     "shape": "UpdateConnectionAuthRequestParameters"
    },
    "InvocationConnectivityParameters": {
     "shape": "ConnectivityResourceParameters"
    },
    "KmsKeyIdentifier": {
     "shape": "KmsKeyIdentifier"
    }
   }
  },
  "UpdateConnectionResponse": {
   "type": "structure",
   "members": {
    "ConnectionArn": {
     "shape": "ConnectionArn"
    },
    "ConnectionState": {
     "shape": "ConnectionState"
    },
    "CreationTime": {
     "shape": "Timestamp"
    },
    "LastModifiedTime": {
     "shape": "Timestamp"
    },
    "LastAuthorizedTime": {
     "shape": "Timestamp"
    }
   }
  }
 }
};
