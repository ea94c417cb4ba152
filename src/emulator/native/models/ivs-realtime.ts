/** The ivs-realtime service model for the operations the emulator serves, extracted from botocore by extract.ts (do not edit). */
import type { ServiceModel } from '../model.js';

export const model: ServiceModel = {
 "service": "ivs-realtime",
 "protocol": "rest-json",
 "signingName": "ivs",
 "apiVersion": "2020-07-14",
 "operations": {
  "CreateStage": {
   "method": "POST",
   "uri": "/CreateStage",
   "code": 200,
   "input": "CreateStageRequest",
   "output": "CreateStageResponse",
   "errors": [
    "ValidationException",
    "AccessDeniedException",
    "ServiceQuotaExceededException",
    "PendingVerification"
   ]
  },
  "GetStage": {
   "method": "POST",
   "uri": "/GetStage",
   "code": 200,
   "input": "GetStageRequest",
   "output": "GetStageResponse",
   "errors": [
    "ResourceNotFoundException",
    "ValidationException",
    "AccessDeniedException"
   ]
  },
  "ListStages": {
   "method": "POST",
   "uri": "/ListStages",
   "code": 200,
   "input": "ListStagesRequest",
   "output": "ListStagesResponse",
   "errors": [
    "ValidationException",
    "AccessDeniedException",
    "ConflictException"
   ]
  },
  "UpdateStage": {
   "method": "POST",
   "uri": "/UpdateStage",
   "code": 200,
   "input": "UpdateStageRequest",
   "output": "UpdateStageResponse",
   "errors": [
    "ResourceNotFoundException",
    "ValidationException",
    "AccessDeniedException",
    "ServiceQuotaExceededException",
    "ConflictException",
    "PendingVerification"
   ]
  },
  "DeleteStage": {
   "method": "POST",
   "uri": "/DeleteStage",
   "code": 200,
   "input": "DeleteStageRequest",
   "output": "DeleteStageResponse",
   "errors": [
    "ResourceNotFoundException",
    "ValidationException",
    "AccessDeniedException",
    "ConflictException",
    "PendingVerification"
   ]
  },
  "CreateParticipantToken": {
   "method": "POST",
   "uri": "/CreateParticipantToken",
   "code": 200,
   "input": "CreateParticipantTokenRequest",
   "output": "CreateParticipantTokenResponse",
   "errors": [
    "ResourceNotFoundException",
    "ValidationException",
    "AccessDeniedException",
    "ServiceQuotaExceededException",
    "PendingVerification"
   ]
  },
  "TagResource": {
   "method": "POST",
   "uri": "/tags/{resourceArn}",
   "code": 200,
   "input": "TagResourceRequest",
   "output": "TagResourceResponse",
   "errors": [
    "ResourceNotFoundException",
    "ValidationException",
    "InternalServerException"
   ]
  },
  "UntagResource": {
   "method": "DELETE",
   "uri": "/tags/{resourceArn}",
   "code": 200,
   "input": "UntagResourceRequest",
   "output": "UntagResourceResponse",
   "errors": [
    "ResourceNotFoundException",
    "ValidationException",
    "InternalServerException"
   ]
  },
  "ListTagsForResource": {
   "method": "GET",
   "uri": "/tags/{resourceArn}",
   "code": 200,
   "input": "ListTagsForResourceRequest",
   "output": "ListTagsForResourceResponse",
   "errors": [
    "ResourceNotFoundException",
    "ValidationException",
    "InternalServerException"
   ]
  }
 },
 "shapes": {
  "AccessDeniedException": {
   "type": "structure",
   "exception": true,
   "status": 403,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "AutoParticipantRecordingConfiguration": {
   "type": "structure",
   "required": [
    "storageConfigurationArn"
   ],
   "members": {
    "storageConfigurationArn": {
     "shape": "AutoParticipantRecordingStorageConfigurationArn"
    },
    "mediaTypes": {
     "shape": "ParticipantRecordingMediaTypeList"
    },
    "thumbnailConfiguration": {
     "shape": "ParticipantThumbnailConfiguration"
    },
    "recordingReconnectWindowSeconds": {
     "shape": "ParticipantRecordingReconnectWindowSeconds"
    },
    "hlsConfiguration": {
     "shape": "ParticipantRecordingHlsConfiguration"
    },
    "recordParticipantReplicas": {
     "shape": "RecordParticipantReplicas"
    }
   }
  },
  "AutoParticipantRecordingStorageConfigurationArn": {
   "type": "string",
   "min": 0,
   "max": 128,
   "pattern": "^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$"
  },
  "ConflictException": {
   "type": "structure",
   "exception": true,
   "status": 409,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "CreateParticipantTokenRequest": {
   "type": "structure",
   "required": [
    "stageArn"
   ],
   "members": {
    "stageArn": {
     "shape": "StageArn"
    },
    "duration": {
     "shape": "ParticipantTokenDurationMinutes"
    },
    "userId": {
     "shape": "ParticipantTokenUserId"
    },
    "attributes": {
     "shape": "ParticipantTokenAttributes"
    },
    "capabilities": {
     "shape": "ParticipantTokenCapabilities"
    }
   }
  },
  "CreateParticipantTokenResponse": {
   "type": "structure",
   "members": {
    "participantToken": {
     "shape": "ParticipantToken"
    }
   }
  },
  "CreateStageRequest": {
   "type": "structure",
   "members": {
    "name": {
     "shape": "StageName"
    },
    "participantTokenConfigurations": {
     "shape": "ParticipantTokenConfigurations"
    },
    "tags": {
     "shape": "Tags"
    },
    "autoParticipantRecordingConfiguration": {
     "shape": "AutoParticipantRecordingConfiguration"
    }
   }
  },
  "CreateStageResponse": {
   "type": "structure",
   "members": {
    "stage": {
     "shape": "Stage"
    },
    "participantTokens": {
     "shape": "ParticipantTokenList"
    }
   }
  },
  "DeleteStageRequest": {
   "type": "structure",
   "required": [
    "arn"
   ],
   "members": {
    "arn": {
     "shape": "StageArn"
    }
   }
  },
  "DeleteStageResponse": {
   "type": "structure",
   "members": {}
  },
  "GetStageRequest": {
   "type": "structure",
   "required": [
    "arn"
   ],
   "members": {
    "arn": {
     "shape": "StageArn"
    }
   }
  },
  "GetStageResponse": {
   "type": "structure",
   "members": {
    "stage": {
     "shape": "Stage"
    }
   }
  },
  "InternalServerException": {
   "type": "structure",
   "exception": true,
   "fault": true,
   "status": 500,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "ListStagesRequest": {
   "type": "structure",
   "members": {
    "nextToken": {
     "shape": "PaginationToken"
    },
    "maxResults": {
     "shape": "MaxStageResults"
    }
   }
  },
  "ListStagesResponse": {
   "type": "structure",
   "required": [
    "stages"
   ],
   "members": {
    "stages": {
     "shape": "StageSummaryList"
    },
    "nextToken": {
     "shape": "PaginationToken"
    }
   }
  },
  "ListTagsForResourceRequest": {
   "type": "structure",
   "required": [
    "resourceArn"
   ],
   "members": {
    "resourceArn": {
     "shape": "ResourceArn",
     "location": "uri",
     "locationName": "resourceArn"
    }
   }
  },
  "ListTagsForResourceResponse": {
   "type": "structure",
   "required": [
    "tags"
   ],
   "members": {
    "tags": {
     "shape": "Tags"
    }
   }
  },
  "MaxStageResults": {
   "type": "integer",
   "min": 1,
   "max": 100
  },
  "PaginationToken": {
   "type": "string",
   "min": 0,
   "max": 1024,
   "pattern": "[a-zA-Z0-9+/=_-]*"
  },
  "ParticipantRecordingHlsConfiguration": {
   "type": "structure",
   "members": {
    "targetSegmentDurationSeconds": {
     "shape": "ParticipantRecordingTargetSegmentDurationSeconds"
    }
   }
  },
  "ParticipantRecordingMediaType": {
   "type": "string",
   "enum": [
    "AUDIO_VIDEO",
    "AUDIO_ONLY",
    "NONE"
   ]
  },
  "ParticipantRecordingMediaTypeList": {
   "type": "list",
   "min": 0,
   "max": 1,
   "member": "ParticipantRecordingMediaType"
  },
  "ParticipantRecordingReconnectWindowSeconds": {
   "type": "integer",
   "min": 0,
   "max": 300
  },
  "ParticipantRecordingTargetSegmentDurationSeconds": {
   "type": "integer",
   "min": 2,
   "max": 10
  },
  "ParticipantThumbnailConfiguration": {
   "type": "structure",
   "members": {
    "targetIntervalSeconds": {
     "shape": "ThumbnailIntervalSeconds"
    },
    "storage": {
     "shape": "ThumbnailStorageTypeList"
    },
    "recordingMode": {
     "shape": "ThumbnailRecordingMode"
    }
   }
  },
  "ParticipantToken": {
   "type": "structure",
   "members": {
    "participantId": {
     "shape": "ParticipantTokenId"
    },
    "token": {
     "shape": "ParticipantTokenString"
    },
    "userId": {
     "shape": "ParticipantTokenUserId"
    },
    "attributes": {
     "shape": "ParticipantTokenAttributes"
    },
    "duration": {
     "shape": "ParticipantTokenDurationMinutes"
    },
    "capabilities": {
     "shape": "ParticipantTokenCapabilities"
    },
    "expirationTime": {
     "shape": "ParticipantTokenExpirationTime"
    }
   }
  },
  "ParticipantTokenAttributes": {
   "type": "map",
   "key": "String",
   "value": "String"
  },
  "ParticipantTokenCapabilities": {
   "type": "list",
   "min": 0,
   "max": 2,
   "member": "ParticipantTokenCapability"
  },
  "ParticipantTokenCapability": {
   "type": "string",
   "enum": [
    "PUBLISH",
    "SUBSCRIBE"
   ]
  },
  "ParticipantTokenConfiguration": {
   "type": "structure",
   "members": {
    "duration": {
     "shape": "ParticipantTokenDurationMinutes"
    },
    "userId": {
     "shape": "ParticipantTokenUserId"
    },
    "attributes": {
     "shape": "ParticipantTokenAttributes"
    },
    "capabilities": {
     "shape": "ParticipantTokenCapabilities"
    }
   }
  },
  "ParticipantTokenConfigurations": {
   "type": "list",
   "min": 0,
   "max": 12,
   "member": "ParticipantTokenConfiguration"
  },
  "ParticipantTokenDurationMinutes": {
   "type": "integer",
   "min": 1,
   "max": 20160
  },
  "ParticipantTokenExpirationTime": {
   "type": "timestamp",
   "timestampFormat": "iso8601"
  },
  "ParticipantTokenId": {
   "type": "string",
   "min": 0,
   "max": 64,
   "pattern": "[a-zA-Z0-9-_]*"
  },
  "ParticipantTokenList": {
   "type": "list",
   "member": "ParticipantToken"
  },
  "ParticipantTokenString": {
   "type": "string",
   "sensitive": true
  },
  "ParticipantTokenUserId": {
   "type": "string",
   "min": 0,
   "max": 128
  },
  "PendingVerification": {
   "type": "structure",
   "exception": true,
   "status": 403,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "RecordParticipantReplicas": {
   "type": "boolean"
  },
  "ResourceArn": {
   "type": "string",
   "min": 1,
   "max": 128,
   "pattern": "arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+"
  },
  "ResourceNotFoundException": {
   "type": "structure",
   "exception": true,
   "status": 404,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "ServiceQuotaExceededException": {
   "type": "structure",
   "exception": true,
   "status": 402,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "Stage": {
   "type": "structure",
   "required": [
    "arn"
   ],
   "members": {
    "arn": {
     "shape": "StageArn"
    },
    "name": {
     "shape": "StageName"
    },
    "activeSessionId": {
     "shape": "StageSessionId"
    },
    "tags": {
     "shape": "Tags"
    },
    "autoParticipantRecordingConfiguration": {
     "shape": "AutoParticipantRecordingConfiguration"
    },
    "endpoints": {
     "shape": "StageEndpoints"
    }
   }
  },
  "StageArn": {
   "type": "string",
   "min": 1,
   "max": 128,
   "pattern": "arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+"
  },
  "StageEndpoint": {
   "type": "string",
   "min": 0,
   "max": 2048
  },
  "StageEndpoints": {
   "type": "structure",
   "members": {
    "events": {
     "shape": "StageEndpoint"
    },
    "whip": {
     "shape": "StageEndpoint"
    },
    "rtmp": {
     "shape": "StageEndpoint"
    },
    "rtmps": {
     "shape": "StageEndpoint"
    }
   }
  },
  "StageName": {
   "type": "string",
   "min": 0,
   "max": 128,
   "pattern": "[a-zA-Z0-9-_]*"
  },
  "StageSessionId": {
   "type": "string",
   "min": 16,
   "max": 16,
   "pattern": "st-[a-zA-Z0-9]+"
  },
  "StageSummary": {
   "type": "structure",
   "required": [
    "arn"
   ],
   "members": {
    "arn": {
     "shape": "StageArn"
    },
    "name": {
     "shape": "StageName"
    },
    "activeSessionId": {
     "shape": "StageSessionId"
    },
    "tags": {
     "shape": "Tags"
    }
   }
  },
  "StageSummaryList": {
   "type": "list",
   "member": "StageSummary"
  },
  "String": {
   "type": "string"
  },
  "TagKey": {
   "type": "string",
   "min": 1,
   "max": 128
  },
  "TagKeyList": {
   "type": "list",
   "min": 0,
   "max": 50,
   "member": "TagKey"
  },
  "TagResourceRequest": {
   "type": "structure",
   "required": [
    "resourceArn",
    "tags"
   ],
   "members": {
    "resourceArn": {
     "shape": "ResourceArn",
     "location": "uri",
     "locationName": "resourceArn"
    },
    "tags": {
     "shape": "Tags"
    }
   }
  },
  "TagResourceResponse": {
   "type": "structure",
   "members": {}
  },
  "TagValue": {
   "type": "string",
   "min": 0,
   "max": 256
  },
  "Tags": {
   "type": "map",
   "min": 0,
   "max": 50,
   "key": "TagKey",
   "value": "TagValue"
  },
  "ThumbnailIntervalSeconds": {
   "type": "integer",
   "min": 1,
   "max": 86400
  },
  "ThumbnailRecordingMode": {
   "type": "string",
   "enum": [
    "INTERVAL",
    "DISABLED"
   ]
  },
  "ThumbnailStorageType": {
   "type": "string",
   "enum": [
    "SEQUENTIAL",
    "LATEST"
   ]
  },
  "ThumbnailStorageTypeList": {
   "type": "list",
   "min": 0,
   "max": 2,
   "member": "ThumbnailStorageType"
  },
  "UntagResourceRequest": {
   "type": "structure",
   "required": [
    "resourceArn",
    "tagKeys"
   ],
   "members": {
    "resourceArn": {
     "shape": "ResourceArn",
     "location": "uri",
     "locationName": "resourceArn"
    },
    "tagKeys": {
     "shape": "TagKeyList",
     "location": "querystring",
     "locationName": "tagKeys"
    }
   }
  },
  "UntagResourceResponse": {
   "type": "structure",
   "members": {}
  },
  "UpdateStageRequest": {
   "type": "structure",
   "required": [
    "arn"
   ],
   "members": {
    "arn": {
     "shape": "StageArn"
    },
    "name": {
     "shape": "StageName"
    },
    "autoParticipantRecordingConfiguration": {
     "shape": "AutoParticipantRecordingConfiguration"
    }
   }
  },
  "UpdateStageResponse": {
   "type": "structure",
   "members": {
    "stage": {
     "shape": "Stage"
    }
   }
  },
  "ValidationException": {
   "type": "structure",
   "exception": true,
   "status": 400,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "errorMessage": {
   "type": "string"
  }
 }
};
